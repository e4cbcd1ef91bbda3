/** GET /ogc/collections/{collectionId}: one collection. */
import { endpoint } from '$lib/server/endpoint';
import * as ogc from '$lib/server/ogc';

export const GET = endpoint(ogc.getCollection);
