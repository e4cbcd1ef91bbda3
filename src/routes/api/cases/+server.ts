/** GET /api/cases?list=: a work list of the caller; POST /api/cases: staff report a case at a point. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const GET = endpoint(cases.getWorkList);
export const POST = endpoint(cases.postCase);
