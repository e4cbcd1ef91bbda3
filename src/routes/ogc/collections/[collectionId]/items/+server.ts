/** GET /ogc/collections/{collectionId}/items: a page of features, filtered by the caller's territory. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/http/ogc';

export const GET = endpoint(ogc.getItems);
