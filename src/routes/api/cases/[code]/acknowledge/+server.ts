/** POST /api/cases/{code}/acknowledge (If-Match): a department's 报到. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const POST = endpoint(cases.postAcknowledge);
