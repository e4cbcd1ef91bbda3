/** GET /api/people/{code}: a person's roles and territory. */
import { endpoint } from '$lib/server/endpoint';
import * as people from '$lib/server/people';

export const GET = endpoint(people.getPerson);
