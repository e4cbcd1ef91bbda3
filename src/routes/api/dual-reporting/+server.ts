/** GET /api/dual-reporting: the figures per member, building and department, unclaimed demands and items (双报到, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as dualReporting from '$lib/server/http/dual-reporting';

export const GET = endpoint(dualReporting.getSummary);
