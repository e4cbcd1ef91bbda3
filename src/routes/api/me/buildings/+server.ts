/** GET /api/me/buildings: the caller's buildings, nearest first. */
import { endpoint } from '$lib/server/http/endpoint';
import * as myBuildings from '$lib/server/http/field';

export const GET = endpoint(myBuildings.getMine);
