/** GET /api/issues.csv?bbox=: the same issues as CSV. */
import { endpoint } from '$lib/server/http/endpoint';
import * as issues from '$lib/server/http/issues';

export const GET = endpoint(issues.getCsv);
