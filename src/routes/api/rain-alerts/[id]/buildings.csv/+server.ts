/** GET /api/rain-alerts/{id}/buildings.csv: the inspection list as CSV. */
import { endpoint } from '$lib/server/endpoint';
import * as rainAlerts from '$lib/server/rain-alerts';

export const GET = endpoint(rainAlerts.getBuildingsCsv);
