/** GET /ogc/collections: every layer as a collection. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/interfaces/ogc';

export const GET = endpoint(ogc.getCollections);
