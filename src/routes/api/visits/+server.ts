/** GET /api/visits: the caller's visits; POST /api/visits: record one (issue 13). */
import { endpoint } from '$lib/server/http/endpoint';
import * as visits from '$lib/server/http/field';

export const GET = endpoint(visits.getVisits);
export const POST = endpoint(visits.postVisit);
