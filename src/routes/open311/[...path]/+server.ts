/** Any other path under /open311, any method: a 404 in the spec's error format (JSON, or XML for a .xml path). */
import { endpoint } from '$lib/server/http/endpoint';
import * as open311 from '$lib/server/http/open311';

export const fallback = endpoint(open311.noSuchEndpoint);
