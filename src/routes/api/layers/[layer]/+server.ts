/** GET /api/layers/{layer}: an outline layer as GeoJSON. */
import { endpoint } from '$lib/server/endpoint';
import * as outlines from '$lib/server/outlines';

export const GET = endpoint(outlines.getOutlines);
