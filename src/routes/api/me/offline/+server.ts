/** GET /api/me/offline: what the phone keeps to work without a signal (issue 13). */
import { endpoint } from '$lib/server/endpoint';
import * as offlinePack from '$lib/server/offline-pack';

export const GET = endpoint(offlinePack.getOffline);
