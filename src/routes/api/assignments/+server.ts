/** POST /api/assignments: assign a role. */
import { endpoint } from '$lib/server/endpoint';
import * as people from '$lib/server/people';

export const POST = endpoint(people.postAssignment);
