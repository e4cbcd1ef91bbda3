/** GET /api/meetings/{id}: a joint meeting's record. */
import { endpoint } from '$lib/server/http/endpoint';
import * as threeOnes from '$lib/server/http/three-ones';

export const GET = endpoint(threeOnes.getMeeting);
