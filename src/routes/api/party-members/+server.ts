/** GET, POST /api/party-members: registered in-service party members (在职党员) and their figures (双报到, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as dualReporting from '$lib/server/http/dual-reporting';

export const GET = endpoint(dualReporting.getMembers);
export const POST = endpoint(dualReporting.postMember);
