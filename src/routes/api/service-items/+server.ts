/** GET, POST /api/service-items: service items (服务事项) members claim (双报到, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as dualReporting from '$lib/server/http/dual-reporting';

export const GET = endpoint(dualReporting.getItems);
export const POST = endpoint(dualReporting.postItem);
