/** GET /ogc/collections/{collectionId}: one collection. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/http/ogc';

export const GET = endpoint(ogc.getCollection);
