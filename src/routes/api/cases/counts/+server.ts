/** GET /api/cases/counts: how many cases wait in each of the caller's work lists. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const GET = endpoint(cases.getCounts);
