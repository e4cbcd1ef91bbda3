import { appDatabase } from '$lib/server/app-database';
import * as stats from '$lib/server/stats';
import * as health from '$lib/server/health';

export async function load() {
	const db = await appDatabase();
	return { stats: await stats.read(db.knex), health: await health.read(db) };
}
