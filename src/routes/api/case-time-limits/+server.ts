/** GET /api/case-time-limits: limits per matter type × urgency; PUT: an admin sets them. */
import { endpoint } from '$lib/server/http/endpoint';
import * as settings from '$lib/server/http/case-settings';

export const GET = endpoint(settings.getTimeLimits);
export const PUT = endpoint(settings.putTimeLimits);
