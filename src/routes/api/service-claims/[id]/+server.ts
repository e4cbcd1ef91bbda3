/** PATCH /api/service-claims/{id}: a claim done, with its hours (双报到, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as dualReporting from '$lib/server/http/dual-reporting';

export const PATCH = endpoint(dualReporting.patchClaim);
