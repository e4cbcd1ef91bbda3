/** Any other path under /ogc, any method: an OGC exception 404. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/http/ogc';

export const fallback = endpoint(ogc.notFound);
