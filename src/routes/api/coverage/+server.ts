/** GET /api/coverage: the coverage and load report. */
import { endpoint } from '$lib/server/http/endpoint';
import * as coverage from '$lib/server/http/areas';

export const GET = endpoint(coverage.getReport);
