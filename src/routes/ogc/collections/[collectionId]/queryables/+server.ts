/** GET /ogc/collections/{collectionId}/queryables: what a filter may name (JSON Schema). */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/http/ogc';

export const GET = endpoint(ogc.getQueryables);
