/** GET /api/meetings/{id}: a joint meeting's record. */
import { endpoint } from '$lib/server/endpoint';
import * as threeOnes from '$lib/server/three-ones';

export const GET = endpoint(threeOnes.getMeeting);
