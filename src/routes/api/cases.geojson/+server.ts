/** GET /api/cases.geojson: the caller's cases, filtered, as GeoJSON. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/cases/cases';

export const GET = endpoint(cases.getGeojson);
