/** GET /api/renovation/gaps: old compounds no renovation project covers, by open issues and flood spots. */
import { endpoint } from '$lib/server/http/endpoint';
import * as renovation from '$lib/server/http/renovation';

export const GET = endpoint(renovation.getGaps);
