import { error, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import { forPage } from '$lib/server/http/pages';
import * as renovation from '$lib/server/renovation/renovation';

/**
 * A renovation project's area on the map, picked from compounds or drawn: a new project, or
 * with ?edit=<code> a new area for an existing one (its present outline shown for reference).
 * The housing bureau's and the admin's.
 */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (!['admin', 'housing'].includes(locals.user.role)) error(403, 'only the housing bureau and admins create and edit renovation projects');
	const code = url.searchParams.get('edit');
	let editing: { code: string; name: string; geometry: unknown } | null = null;
	if (code) {
		const db = await appDatabase();
		const record = await forPage(renovation.read(db.knex, await scopeFor(db.knex, locals.user), code));
		if (!record) error(404, `no renovation project with code '${code}'`);
		editing = { code: record.code, name: record.name, geometry: record.geometry };
	}
	return { testHooks: env.MAP_TEST_HOOKS === '1', editing };
}
