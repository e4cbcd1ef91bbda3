/** The layer counts over HTTP. The counting lives in platform/stats.ts. */
import { json, type Call, type Reply } from './endpoint.js';
import * as stats from '../platform/stats.js';

/** GET /api/stats: counts per layer, the caller's territory's own when they have one. */
export async function getStats(call: Call): Promise<Reply> {
	return json(await stats.read(call.db.knex, call.scope));
}
