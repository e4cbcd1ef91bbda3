/** PATCH /api/party-members/{id}: a member leaves (双报到, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as dualReporting from '$lib/server/http/dual-reporting';

export const PATCH = endpoint(dualReporting.patchMember);
