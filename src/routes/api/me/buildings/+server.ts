/** GET /api/me/buildings: the caller's buildings, nearest first. */
import { endpoint } from '$lib/server/endpoint';
import * as myBuildings from '$lib/server/my-buildings';

export const GET = endpoint(myBuildings.getMine);
