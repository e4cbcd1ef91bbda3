/** GET /api/rain-alerts/{id}/progress: checked / total per grid. */
import { endpoint } from '$lib/server/http/endpoint';
import * as rainAlerts from '$lib/server/http/rain-alerts';

export const GET = endpoint(rainAlerts.getProgress);
