import { redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import { forPage } from '$lib/server/http/pages';
import * as cases from '$lib/server/cases/cases';
import { filterChoices } from '$lib/server/cases/case-filters';
import { filterFrom } from '$lib/server/http/cases';
import { communityOutlines } from '$lib/server/ownership/territory-areas';

/**
 * The signed-in user's work lists: the one chosen (?list=) in full, narrowed by the filters in
 * the URL (category, grid, overdue, matter_type), the others as counts; with what the filter
 * bar offers and the outline of the caller's communities for the map beside the list.
 */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	const lists = cases.LISTS_OF_ROLE[locals.user.role] ?? [];
	const wanted = url.searchParams.get('list');
	const list = lists.find((l) => l === wanted) ?? lists[0] ?? null;
	const filter = await forPage(Promise.resolve().then(() => filterFrom(url.searchParams)));
	const [counts, items, choices, outlines] = await Promise.all([
		forPage(cases.workCounts(db.knex, locals.user, scope)),
		list ? forPage(cases.workList(db.knex, locals.user, scope, list, 200, filter)) : { total: 0, items: [] },
		filterChoices(db.knex, scope),
		// A department's cases lie wherever it was called to: its map outlines every community (their
		// outlines are public) and frames the cases; the others' map frames their own communities.
		communityOutlines(db.knex, locals.user.role === 'department' ? { kind: 'all' } : scope)
	]);
	return { user: { username: locals.user.username, role: locals.user.role }, lists, list, counts: counts.lists, items, filter, choices, outlines, frameOn: locals.user.role === 'department' ? ('cases' as const) : ('outlines' as const), testHooks: env.MAP_TEST_HOOKS === '1' };
}
