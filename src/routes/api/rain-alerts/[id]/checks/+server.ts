/** POST /api/rain-alerts/{id}/checks: check a building off, with the water depth. */
import { endpoint } from '$lib/server/http/endpoint';
import * as rainAlerts from '$lib/server/http/rain-alerts';

export const POST = endpoint(rainAlerts.postCheck);
