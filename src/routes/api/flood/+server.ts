/** GET /api/flood: the flood spots; POST: a new one. */
import { endpoint } from '$lib/server/http/endpoint';
import * as flood from '$lib/server/http/flood';

export const GET = endpoint(flood.getSpots);
export const POST = endpoint(flood.postSpot);
