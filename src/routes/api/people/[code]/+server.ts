/** GET /api/people/{code}: a person's roles and territory. */
import { endpoint } from '$lib/server/http/endpoint';
import * as people from '$lib/server/http/ownership';

export const GET = endpoint(people.getPerson);
