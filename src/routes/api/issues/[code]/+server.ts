import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as issues from '$lib/server/issues';
import { scopeFor } from '$lib/server/territory';

/** One issue; outside the caller's territory it does not exist for them (404). */
export async function GET({ params, locals }) {
	const db = await appDatabase();
	const issue = await issues.read(db.knex, await scopeFor(db.knex, locals.user), params.code);
	if (!issue) error(404, `no issue with code '${params.code}'`);
	return json(issue);
}
