/** POST /api/meetings/{id}/matters/{n}/case: a matter raised becomes a case, linked back. */
import { endpoint } from '$lib/server/http/endpoint';
import * as threeOnes from '$lib/server/http/three-ones';

export const POST = endpoint(threeOnes.postMatterCase);
