/** PUT /api/departments/{code}/ack-limit: an admin sets a department's acknowledgement limit. */
import { endpoint } from '$lib/server/http/endpoint';
import * as settings from '$lib/server/http/case-settings';

export const PUT = endpoint(settings.putAckLimit);
