/** GET /api/demands/{id}/matches: resources suggested for a demand (三张清单, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as serviceLists from '$lib/server/http/service-lists';

export const GET = endpoint(serviceLists.getMatches);
