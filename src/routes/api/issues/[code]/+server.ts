/** GET /api/issues/{code}: one issue (404 outside the caller's territory). */
import { endpoint } from '$lib/server/http/endpoint';
import * as issues from '$lib/server/http/issues';

export const GET = endpoint(issues.getIssue);
