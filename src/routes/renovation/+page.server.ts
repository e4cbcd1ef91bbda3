import { redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import { forPage } from '$lib/server/http/pages';
import * as renovation from '$lib/server/renovation/renovation';

/** The housing bureau's ledger: every project the caller may read, the places to filter by, and the planning gaps. */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	const [all, gaps, streets, communities] = await Promise.all([
		forPage(renovation.ledger(db.knex, scope, {})),
		forPage(renovation.gaps(db.knex, scope, 30)),
		db.knex('streets').orderBy('code').select('code', 'name'),
		db.knex('communities as c').join('streets as s', 's.id', 'c.street_id').orderBy('c.code').select('c.code', 'c.name', 's.code as street_code')
	]);
	return {
		user: { username: locals.user.username, role: locals.user.role },
		all,
		gaps,
		streets: streets as { code: string; name: string }[],
		communities: communities as { code: string; name: string; street_code: string }[],
		testHooks: env.MAP_TEST_HOOKS === '1'
	};
}
