/** GET /api/visits: the caller's visits; POST /api/visits: record one (issue 13). */
import { endpoint } from '$lib/server/endpoint';
import * as visits from '$lib/server/visits';

export const GET = endpoint(visits.getVisits);
export const POST = endpoint(visits.postVisit);
