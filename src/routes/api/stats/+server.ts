import { json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as stats from '$lib/server/stats';
import { scopeFor } from '$lib/server/territory';

export async function GET({ locals }) {
	const db = await appDatabase();
	return json(await stats.read(db.knex, await scopeFor(db.knex, locals.user)));
}
