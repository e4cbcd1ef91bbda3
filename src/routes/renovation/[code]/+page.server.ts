import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';
import { may } from '$lib/server/accounts/permissions';
import * as renovation from '$lib/server/renovation/renovation';

/** One renovation project: timeline, money by source, what it covers, issues before and after. */
export const load = pageLoad({ signIn: true }, async ({ db, user, scope, params }) => {
	const record = await renovation.read(db.knex, scope, params.code);
	if (!record) error(404, `no renovation project with code '${params.code}'`);
	return { user: { username: user.username, role: user.role }, record, mayEdit: may(user, 'renovation.edit'), testHooks: env.MAP_TEST_HOOKS === '1' };
});
