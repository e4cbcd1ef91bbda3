import { pageLoad } from '$lib/server/http/pages';
import * as departments from '$lib/server/governance/departments';

/** The county departments the caller may read, searched by name or code (issue 14). */
export const load = pageLoad({ signIn: true }, async ({ db, user, url }) => {
	const q = (url.searchParams.get('q') ?? '').slice(0, 100);
	return { q, departments: await departments.list(db.knex, user, q || undefined) };
});
