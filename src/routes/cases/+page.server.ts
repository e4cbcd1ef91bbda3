import { redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import { scopeFor } from '$lib/server/territory';
import { forPage } from '$lib/server/pages';
import * as cases from '$lib/server/cases';

/** The signed-in user's work lists: the one chosen (?list=) in full, the others as counts. */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	const lists = cases.LISTS_OF_ROLE[locals.user.role] ?? [];
	const wanted = url.searchParams.get('list');
	const list = lists.find((l) => l === wanted) ?? lists[0] ?? null;
	const counts = await forPage(cases.workCounts(db.knex, locals.user, scope));
	const items = list ? await forPage(cases.workList(db.knex, locals.user, scope, list)) : { total: 0, items: [] };
	return { user: { username: locals.user.username, role: locals.user.role }, lists, list, counts: counts.lists, items };
}
