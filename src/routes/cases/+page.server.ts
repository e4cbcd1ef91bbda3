import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';
import * as cases from '$lib/server/cases/cases';
import { filterChoices } from '$lib/server/cases/case-filters';
import { filterFrom } from '$lib/server/http/cases';
import { communityOutlines } from '$lib/server/ownership/territory-areas';

/**
 * The signed-in user's work lists: the one chosen (?list=) in full, narrowed by the filters in
 * the URL (category, grid, overdue, matter_type), the others as counts; with what the filter
 * bar offers and the outline of the caller's communities for the map beside the list.
 */
export const load = pageLoad({ signIn: true, backWithQuery: true }, async ({ db, user, scope, url }) => {
	const lists = cases.LISTS_OF_ROLE[user.role] ?? [];
	const wanted = url.searchParams.get('list');
	const list = lists.find((l) => l === wanted) ?? lists[0] ?? null;
	const filter = filterFrom(url.searchParams);
	const [counts, items, choices, outlines] = await Promise.all([
		cases.workCounts(db.knex, user, scope),
		list ? cases.workList(db.knex, user, scope, list, 200, filter) : { total: 0, items: [] },
		filterChoices(db.knex, scope),
		// A department's cases lie wherever it was called to: its map outlines every community (their
		// outlines are public) and frames the cases; the others' map frames their own communities.
		communityOutlines(db.knex, user.role === 'department' ? { kind: 'all' } : scope)
	]);
	return { user: { username: user.username, role: user.role }, lists, list, counts: counts.lists, items, filter, choices, outlines, frameOn: user.role === 'department' ? ('cases' as const) : ('outlines' as const), testHooks: env.MAP_TEST_HOOKS === '1' };
});
