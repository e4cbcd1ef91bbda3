/** GET /ogc/collections/{collectionId}/items: a page of features, filtered by the caller's territory. */
import { endpoint } from '$lib/server/endpoint';
import * as ogc from '$lib/server/ogc';

export const GET = endpoint(ogc.getItems);
