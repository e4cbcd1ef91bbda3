/** Any other path under /ogc, any method: an OGC exception 404. */
import { endpoint } from '$lib/server/endpoint';
import * as ogc from '$lib/server/ogc';

export const fallback = endpoint(ogc.notFound);
