/** GET /api/renovation.csv: the filtered renovation ledger as CSV. */
import { endpoint } from '$lib/server/http/endpoint';
import * as renovation from '$lib/server/http/renovation';

export const GET = endpoint(renovation.getCsv);
