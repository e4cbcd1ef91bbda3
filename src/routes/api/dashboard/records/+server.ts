/** GET /api/dashboard/records: the records one dashboard figure counts (issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as dashboard from '$lib/server/http/dashboard';

export const GET = endpoint(dashboard.getRecords);
