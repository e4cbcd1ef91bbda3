/** POST /api/meetings: record a joint meeting (共驻共建联席会, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as threeOnes from '$lib/server/http/three-ones';

export const POST = endpoint(threeOnes.postMeeting);
