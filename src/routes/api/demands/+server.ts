/** GET, POST /api/demands: the demand list (需求清单) (三张清单, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as serviceLists from '$lib/server/http/service-lists';

export const GET = endpoint(serviceLists.getDemands);
export const POST = endpoint(serviceLists.postDemand);
