/** POST /api/cases/{code}/transitions (If-Match): move a case on. */
import { endpoint } from '$lib/server/endpoint';
import * as cases from '$lib/server/cases';

export const POST = endpoint(cases.postTransition);
