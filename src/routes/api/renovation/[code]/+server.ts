/** GET /api/renovation/:code: one project; PATCH: a status step, progress, money, fields or area (admin, housing). */
import { endpoint } from '$lib/server/http/endpoint';
import * as renovation from '$lib/server/http/renovation';

export const GET = endpoint(renovation.getProject);
export const PATCH = endpoint(renovation.patchProject);
