/** GET, POST /api/service-projects: the project list (项目清单) (三张清单, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as serviceLists from '$lib/server/http/service-lists';

export const GET = endpoint(serviceLists.getProjects);
export const POST = endpoint(serviceLists.postProject);
