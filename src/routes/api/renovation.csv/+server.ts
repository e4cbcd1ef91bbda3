/** GET /api/renovation.csv: the filtered renovation ledger as CSV. */
import { endpoint } from '$lib/server/endpoint';
import * as renovation from '$lib/server/renovation';

export const GET = endpoint(renovation.getCsv);
