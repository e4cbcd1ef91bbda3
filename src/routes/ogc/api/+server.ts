/** GET /ogc/api: the OpenAPI 3.0 definition. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/http/ogc';

export const GET = endpoint(ogc.getApi);
