/** GET /api/search?q=&limit=: areas, buildings and people by name. */
import { endpoint } from '$lib/server/http/endpoint';
import * as search from '$lib/server/http/areas';

export const GET = endpoint(search.getResults);
