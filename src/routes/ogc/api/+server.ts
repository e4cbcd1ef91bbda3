/** GET /ogc/api: the OpenAPI 3.0 definition. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/interfaces/ogc';

export const GET = endpoint(ogc.getApi);
