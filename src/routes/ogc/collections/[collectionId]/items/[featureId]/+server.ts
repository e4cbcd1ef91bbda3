/** GET /ogc/collections/{collectionId}/items/{featureId}: one feature. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/interfaces/ogc';

export const GET = endpoint(ogc.getItem);
