/** GET /api/communities/{code}/three-ones?year=: one community's 三个一 and records (issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as threeOnes from '$lib/server/http/three-ones';

export const GET = endpoint(threeOnes.getCommunity);
