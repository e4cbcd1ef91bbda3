import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';
import * as renovation from '$lib/server/renovation/renovation';

/** The housing bureau's ledger: every project the caller may read, the places to filter by, and the planning gaps. */
export const load = pageLoad({ signIn: true, backWithQuery: true }, async ({ db, user, scope }) => {
	const [all, gaps, places] = await Promise.all([renovation.ledger(db.knex, scope, {}), renovation.gaps(db.knex, scope, 30), renovation.filterPlaces(db.knex)]);
	return { user: { username: user.username, role: user.role }, all, gaps, ...places, testHooks: env.MAP_TEST_HOOKS === '1' };
});
