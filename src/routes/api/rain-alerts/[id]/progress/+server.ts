/** GET /api/rain-alerts/{id}/progress: checked / total per grid. */
import { endpoint } from '$lib/server/endpoint';
import * as rainAlerts from '$lib/server/rain-alerts';

export const GET = endpoint(rainAlerts.getProgress);
