/** POST /api/flood/{code}/incidents: a flood incident of the spot. */
import { endpoint } from '$lib/server/endpoint';
import * as flood from '$lib/server/flood';

export const POST = endpoint(flood.postIncident);
