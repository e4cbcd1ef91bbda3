/** POST /api/assignments: assign a role. */
import { endpoint } from '$lib/server/http/endpoint';
import * as people from '$lib/server/http/ownership';

export const POST = endpoint(people.postAssignment);
