/** GET /api/cases.csv: the caller's cases, filtered, as CSV. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const GET = endpoint(cases.getCsv);
