/** GET /ogc/collections/{collectionId}/queryables: what a filter may name (JSON Schema). */
import { endpoint } from '$lib/server/endpoint';
import * as ogc from '$lib/server/ogc';

export const GET = endpoint(ogc.getQueryables);
