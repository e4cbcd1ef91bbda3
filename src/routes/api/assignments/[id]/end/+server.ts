/** POST /api/assignments/{id}/end: end an assignment. */
import { endpoint } from '$lib/server/http/endpoint';
import * as people from '$lib/server/http/ownership';

export const POST = endpoint(people.postEndAssignment);
