/** POST /api/rain-alerts/{id}/end: switch the alert off. */
import { endpoint } from '$lib/server/endpoint';
import * as rainAlerts from '$lib/server/rain-alerts';

export const POST = endpoint(rainAlerts.postEnd);
