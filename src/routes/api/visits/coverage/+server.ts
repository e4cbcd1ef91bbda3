/** GET /api/visits/coverage: per grid or community, the share of buildings visited in a month. */
import { endpoint } from '$lib/server/http/endpoint';
import * as visits from '$lib/server/http/field';

export const GET = endpoint(visits.getCoverage);
