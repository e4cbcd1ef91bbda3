import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';
import { may } from '$lib/server/accounts/permissions';
import * as renovation from '$lib/server/renovation/renovation';

/**
 * A renovation project's area on the map, picked from compounds or drawn: a new project, or
 * with ?edit=<code> a new area for an existing one (its present outline shown for reference).
 * The housing bureau's and the admin's.
 */
export const load = pageLoad({ signIn: true, backWithQuery: true }, async ({ db, user, scope, url }) => {
	if (!may(user, 'renovation.create')) error(403, 'only the housing bureau and admins create and edit renovation projects');
	const code = url.searchParams.get('edit');
	let editing: { code: string; name: string; geometry: unknown } | null = null;
	if (code) {
		const record = await renovation.read(db.knex, scope, code);
		if (!record) error(404, `no renovation project with code '${code}'`);
		editing = { code: record.code, name: record.name, geometry: record.geometry };
	}
	return { testHooks: env.MAP_TEST_HOOKS === '1', editing };
});
