/** Open311 Service Discovery: where GeoReport v2 is served and in which formats. */
import { endpoint } from '$lib/server/http/endpoint';
import * as open311 from '$lib/server/http/open311';

export const GET = endpoint(open311.getDiscovery);
