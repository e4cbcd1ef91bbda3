/** GET /api/search?q=&limit=: areas, buildings and people by name. */
import { endpoint } from '$lib/server/endpoint';
import * as search from '$lib/server/search';

export const GET = endpoint(search.getResults);
