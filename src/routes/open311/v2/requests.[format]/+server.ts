/** GeoReport v2 service requests: read them (public), or report one with an api_key. */
import { endpoint } from '$lib/server/http/endpoint';
import * as open311 from '$lib/server/http/open311';

export const GET = endpoint(open311.getRequests);
export const POST = endpoint(open311.postRequest);
