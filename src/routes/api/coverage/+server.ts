import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as coverage from '$lib/server/coverage';

/** The coverage and load report; it names people, so only for signed-in users. */
export async function GET({ locals }) {
	if (!locals.user) error(401, 'sign in to see the coverage report');
	// The report spans the county and names people across it: for roles that read everything.
	if (!['admin', 'planner', 'housing'].includes(locals.user.role)) error(403, 'the coverage report is for admin and planner roles');
	const db = await appDatabase();
	return json(await coverage.report(db.knex));
}
