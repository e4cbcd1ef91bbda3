/** GET /api/rain-alerts/{id}/buildings.csv: the inspection list as CSV. */
import { endpoint } from '$lib/server/http/endpoint';
import * as rainAlerts from '$lib/server/http/rain-alerts';

export const GET = endpoint(rainAlerts.getBuildingsCsv);
