/** GET /api/rain-alerts: the alert on now and recent ones; POST: switch one on. */
import { endpoint } from '$lib/server/http/endpoint';
import * as rainAlerts from '$lib/server/http/rain-alerts';

export const GET = endpoint(rainAlerts.getAlerts);
export const POST = endpoint(rainAlerts.postAlert);
