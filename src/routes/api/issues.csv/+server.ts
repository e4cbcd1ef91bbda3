/** GET /api/issues.csv?bbox=: the same issues as CSV. */
import { endpoint } from '$lib/server/endpoint';
import * as issues from '$lib/server/issues';

export const GET = endpoint(issues.getCsv);
