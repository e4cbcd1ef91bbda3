/** GET /api/me/placement?lng=&lat=: is the point in my territory, which community holds it, my nearest building (issue 21, point 2). */
import { endpoint } from '$lib/server/http/endpoint';
import * as myBuildings from '$lib/server/http/field';

export const GET = endpoint(myBuildings.getPlacement);
