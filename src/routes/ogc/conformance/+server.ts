/** GET /ogc/conformance: the conformance classes. */
import { endpoint } from '$lib/server/endpoint';
import * as ogc from '$lib/server/ogc';

export const GET = endpoint(ogc.getConformance);
