/** GET /api/open311-keys: an admin lists keys; POST: issues one. */
import { endpoint } from '$lib/server/http/endpoint';
import * as settings from '$lib/server/http/case-settings';

export const GET = endpoint(settings.getApiKeys);
export const POST = endpoint(settings.postApiKey);
