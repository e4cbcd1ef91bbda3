/** GET /api/renovation.geojson: the filtered renovation projects as GeoJSON. */
import { endpoint } from '$lib/server/http/endpoint';
import * as renovation from '$lib/server/http/renovation';

export const GET = endpoint(renovation.getGeojson);
