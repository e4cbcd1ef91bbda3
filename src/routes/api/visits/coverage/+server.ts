/** GET /api/visits/coverage: per grid or community, the share of buildings visited in a month. */
import { endpoint } from '$lib/server/endpoint';
import * as visits from '$lib/server/visits';

export const GET = endpoint(visits.getCoverage);
