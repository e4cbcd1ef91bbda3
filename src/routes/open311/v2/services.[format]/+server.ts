/** GeoReport v2 service list: the case categories. */
import { endpoint } from '$lib/server/http/endpoint';
import * as open311 from '$lib/server/http/open311';

export const GET = endpoint(open311.getServices);
