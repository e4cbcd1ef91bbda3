/** GET /api/flood/{code}: a spot with its incidents; PATCH: change it. */
import { endpoint } from '$lib/server/http/endpoint';
import * as flood from '$lib/server/http/flood';

export const GET = endpoint(flood.getSpot);
export const PATCH = endpoint(flood.patchSpot);
