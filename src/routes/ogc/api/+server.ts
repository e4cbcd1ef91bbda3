/** GET /ogc/api: the OpenAPI 3.0 definition. */
import { endpoint } from '$lib/server/endpoint';
import * as ogc from '$lib/server/ogc';

export const GET = endpoint(ogc.getApi);
