/** GET /ogc/collections/{collectionId}/items/{featureId}: one feature. */
import { endpoint } from '$lib/server/endpoint';
import * as ogc from '$lib/server/ogc';

export const GET = endpoint(ogc.getItem);
