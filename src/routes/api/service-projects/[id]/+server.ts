/** PATCH /api/service-projects/{id}: a project's progress and status (三张清单, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as serviceLists from '$lib/server/http/service-lists';

export const PATCH = endpoint(serviceLists.patchProject);
