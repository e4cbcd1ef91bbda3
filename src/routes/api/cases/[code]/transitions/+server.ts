/** POST /api/cases/{code}/transitions (If-Match): move a case on. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const POST = endpoint(cases.postTransition);
