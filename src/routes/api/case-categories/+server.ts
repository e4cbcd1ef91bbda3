/** GET /api/case-categories: the ledger categories and their rules. */
import { endpoint } from '$lib/server/endpoint';
import * as settings from '$lib/server/case-settings';

export const GET = endpoint(settings.getCategories);
