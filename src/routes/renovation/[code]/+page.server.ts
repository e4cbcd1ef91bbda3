import { error, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import { forPage } from '$lib/server/http/pages';
import * as renovation from '$lib/server/renovation/renovation';

/** One renovation project: timeline, money by source, what it covers, issues before and after. */
export async function load({ params, locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const db = await appDatabase();
	const record = await forPage(renovation.read(db.knex, await scopeFor(db.knex, locals.user), params.code));
	if (!record) error(404, `no renovation project with code '${params.code}'`);
	return {
		user: { username: locals.user.username, role: locals.user.role },
		record,
		mayEdit: (renovation.WRITERS as readonly string[]).includes(locals.user.role),
		testHooks: env.MAP_TEST_HOOKS === '1'
	};
}
