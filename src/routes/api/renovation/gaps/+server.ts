/** GET /api/renovation/gaps: old compounds no renovation project covers, by open issues and flood spots. */
import { endpoint } from '$lib/server/endpoint';
import * as renovation from '$lib/server/renovation';

export const GET = endpoint(renovation.getGaps);
