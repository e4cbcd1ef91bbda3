/** GET /api/rain-alerts/{id}/progress.geojson: grids with their progress, for the map. */
import { endpoint } from '$lib/server/endpoint';
import * as rainAlerts from '$lib/server/rain-alerts';

export const GET = endpoint(rainAlerts.getProgressGeojson);
