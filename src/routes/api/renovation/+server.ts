/** GET /api/renovation: the renovation ledger, filtered, with totals; POST: a new project (admin, housing). */
import { endpoint } from '$lib/server/http/endpoint';
import * as renovation from '$lib/server/http/renovation';

export const GET = endpoint(renovation.getLedger);
export const POST = endpoint(renovation.postProject);
