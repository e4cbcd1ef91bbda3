/** GET /api/coverage: the coverage and load report. */
import { endpoint } from '$lib/server/endpoint';
import * as coverage from '$lib/server/coverage';

export const GET = endpoint(coverage.getReport);
