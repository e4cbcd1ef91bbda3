/** GET, POST /api/resources: the resource list (资源清单) (三张清单, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as serviceLists from '$lib/server/http/service-lists';

export const GET = endpoint(serviceLists.getResources);
export const POST = endpoint(serviceLists.postResource);
