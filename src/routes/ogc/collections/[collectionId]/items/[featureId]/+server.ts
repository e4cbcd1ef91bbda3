/** GET /ogc/collections/{collectionId}/items/{featureId}: one feature. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/http/ogc';

export const GET = endpoint(ogc.getItem);
