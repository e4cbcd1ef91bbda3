/** GET /api/coverage: the coverage and load report. */
import { endpoint } from '$lib/server/http/endpoint';
import * as coverage from '$lib/server/areas/coverage';

export const GET = endpoint(coverage.getReport);
