/** POST /api/service-items/{id}/claims: a member claims an item (认领) (双报到, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as dualReporting from '$lib/server/http/dual-reporting';

export const POST = endpoint(dualReporting.postClaim);
