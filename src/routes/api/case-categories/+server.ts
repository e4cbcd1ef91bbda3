/** GET /api/case-categories: the ledger categories and their rules. */
import { endpoint } from '$lib/server/http/endpoint';
import * as settings from '$lib/server/http/case-settings';

export const GET = endpoint(settings.getCategories);
