/** POST /api/flood/{code}/incidents: a flood incident of the spot. */
import { endpoint } from '$lib/server/http/endpoint';
import * as flood from '$lib/server/http/flood';

export const POST = endpoint(flood.postIncident);
