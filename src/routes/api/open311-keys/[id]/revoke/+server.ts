/** POST /api/open311-keys/{id}/revoke: an admin revokes a key. */
import { endpoint } from '$lib/server/http/endpoint';
import * as settings from '$lib/server/http/case-settings';

export const POST = endpoint(settings.postRevokeApiKey);
