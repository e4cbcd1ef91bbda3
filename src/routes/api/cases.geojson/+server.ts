/** GET /api/cases.geojson: the caller's cases, filtered, as GeoJSON. */
import { endpoint } from '$lib/server/endpoint';
import * as cases from '$lib/server/cases';

export const GET = endpoint(cases.getGeojson);
