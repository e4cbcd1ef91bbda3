/** POST /api/rain-alerts/{id}/checks: check a building off, with the water depth. */
import { endpoint } from '$lib/server/endpoint';
import * as rainAlerts from '$lib/server/rain-alerts';

export const POST = endpoint(rainAlerts.postCheck);
