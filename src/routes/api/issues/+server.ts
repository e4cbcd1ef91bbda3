/** GET /api/issues?bbox=: issues in a bounding box the caller may read. */
import { endpoint } from '$lib/server/http/endpoint';
import * as issues from '$lib/server/http/issues';

export const GET = endpoint(issues.getList);
