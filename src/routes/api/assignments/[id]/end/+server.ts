/** POST /api/assignments/{id}/end: end an assignment. */
import { endpoint } from '$lib/server/endpoint';
import * as people from '$lib/server/people';

export const POST = endpoint(people.postEndAssignment);
