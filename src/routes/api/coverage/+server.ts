import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as coverage from '$lib/server/coverage';

/** The coverage and load report; it names people, so only for signed-in users. */
export async function GET({ locals }) {
	if (!locals.user) error(401, 'sign in to see the coverage report');
	const db = await appDatabase();
	return json(await coverage.report(db.knex));
}
