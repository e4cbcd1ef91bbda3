import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';
import { may } from '$lib/server/accounts/permissions';
import * as departments from '$lib/server/governance/departments';

/** One department: its communities on a map, deputies, escalations, link history (issue 14). */
export const load = pageLoad({ signIn: true }, async ({ db, user, params }) => {
	const record = await departments.read(db.knex, user, params.code);
	const isAdmin = may(user, 'liaison.change');
	// The communities an admin may link: every one, for the form's choice.
	const communities = isAdmin ? await departments.linkableCommunities(db.knex) : [];
	return { record, isAdmin, communities, recentDays: departments.RECENT_DAYS, testHooks: env.MAP_TEST_HOOKS === '1' };
});
