/** GET /api/areas/{level}/{code}/roster: the 4+N of a community, the 两长两员 of a building. */
import { endpoint } from '$lib/server/http/endpoint';
import * as people from '$lib/server/http/ownership';

export const GET = endpoint(people.getRoster);
