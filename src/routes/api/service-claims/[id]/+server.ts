/** PATCH /api/service-claims/{id}: a claim done, with its hours (双报到, issue 14). */
import { endpoint } from '$lib/server/endpoint';
import * as dualReporting from '$lib/server/dual-reporting';

export const PATCH = endpoint(dualReporting.patchClaim);
