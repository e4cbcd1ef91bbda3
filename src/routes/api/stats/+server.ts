import { json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as stats from '$lib/server/stats';

export async function GET() {
	const db = await appDatabase();
	return json(await stats.read(db.knex));
}
