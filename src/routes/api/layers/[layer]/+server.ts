/** GET /api/layers/{layer}: an outline layer as GeoJSON. */
import { endpoint } from '$lib/server/http/endpoint';
import * as outlines from '$lib/server/http/areas';

export const GET = endpoint(outlines.getOutlines);
