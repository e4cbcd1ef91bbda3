/** GET /api/rain-alerts/{id}/progress.geojson: grids with their progress, for the map. */
import { endpoint } from '$lib/server/http/endpoint';
import * as rainAlerts from '$lib/server/http/rain-alerts';

export const GET = endpoint(rainAlerts.getProgressGeojson);
