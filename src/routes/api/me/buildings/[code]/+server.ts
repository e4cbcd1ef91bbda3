/** GET /api/me/buildings/{code}: the building card (issue 13). */
import { endpoint } from '$lib/server/endpoint';
import * as myBuildings from '$lib/server/my-buildings';

export const GET = endpoint(myBuildings.getCard);
