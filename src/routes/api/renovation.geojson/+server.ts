/** GET /api/renovation.geojson: the filtered renovation projects as GeoJSON. */
import { endpoint } from '$lib/server/endpoint';
import * as renovation from '$lib/server/renovation';

export const GET = endpoint(renovation.getGeojson);
