/** GET /api/three-ones?year=: the county table of 三个一; POST: record a visit or a report (issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as threeOnes from '$lib/server/http/three-ones';

export const GET = endpoint(threeOnes.getTable);
export const POST = endpoint(threeOnes.postActivity);
