/** GET /ogc: the OGC API – Features landing page. */
import { endpoint } from '$lib/server/endpoint';
import * as ogc from '$lib/server/ogc';

export const GET = endpoint(ogc.getLanding);
