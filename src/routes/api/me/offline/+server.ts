/** GET /api/me/offline: what the phone keeps to work without a signal (issue 13). */
import { endpoint } from '$lib/server/http/endpoint';
import * as offlinePack from '$lib/server/http/field';

export const GET = endpoint(offlinePack.getOffline);
