/** GET /api/me/buildings/{code}: the building card (issue 13). */
import { endpoint } from '$lib/server/http/endpoint';
import * as myBuildings from '$lib/server/http/field';

export const GET = endpoint(myBuildings.getCard);
