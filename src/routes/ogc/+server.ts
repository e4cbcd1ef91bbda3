/** GET /ogc: the OGC API – Features landing page. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/http/ogc';

export const GET = endpoint(ogc.getLanding);
