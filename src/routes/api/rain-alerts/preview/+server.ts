/** POST /api/rain-alerts/preview: the buildings and grid workers a rain alert's scope would reach. */
import { endpoint } from '$lib/server/http/endpoint';
import * as rainAlerts from '$lib/server/http/rain-alerts';

export const POST = endpoint(rainAlerts.postPreview);
