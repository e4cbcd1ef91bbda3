/** POST /api/rain-alerts/{id}/end: switch the alert off. */
import { endpoint } from '$lib/server/http/endpoint';
import * as rainAlerts from '$lib/server/http/rain-alerts';

export const POST = endpoint(rainAlerts.postEnd);
