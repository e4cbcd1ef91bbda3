/** POST /api/rain-alerts/preview: the buildings and grid workers a rain alert's scope would reach. */
import { endpoint } from '$lib/server/endpoint';
import * as rainAlerts from '$lib/server/rain-alerts';

export const POST = endpoint(rainAlerts.postPreview);
