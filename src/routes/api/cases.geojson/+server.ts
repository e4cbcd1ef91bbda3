/** GET /api/cases.geojson: the caller's cases, filtered, as GeoJSON. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const GET = endpoint(cases.getGeojson);
