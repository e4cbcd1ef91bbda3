/** GeoReport v2: one service request. */
import { endpoint } from '$lib/server/endpoint';
import * as open311 from '$lib/server/open311';

export const GET = endpoint(open311.getRequest);
