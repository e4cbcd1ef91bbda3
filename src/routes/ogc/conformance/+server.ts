/** GET /ogc/conformance: the conformance classes. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ogc from '$lib/server/interfaces/ogc';

export const GET = endpoint(ogc.getConformance);
