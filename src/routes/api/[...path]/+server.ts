/** Any other path under /api, any method: a JSON 404 naming it, not the HTML page. */
import { endpoint, noSuchEndpoint } from '$lib/server/http/endpoint';

export const fallback = endpoint(noSuchEndpoint);
