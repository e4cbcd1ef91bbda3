/** GET /api/stats: counts per layer (the caller's territory's own when they have one). */
import { endpoint } from '$lib/server/http/endpoint';
import * as stats from '$lib/server/http/stats';

export const GET = endpoint(stats.getStats);
