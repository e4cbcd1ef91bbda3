import { redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import { forPage } from '$lib/server/http/pages';
import * as departments from '$lib/server/governance/departments';

/** The county departments the caller may read, searched by name or code (issue 14). */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const db = await appDatabase();
	const q = (url.searchParams.get('q') ?? '').slice(0, 100);
	return { q, departments: await forPage(departments.list(db.knex, locals.user, q || undefined)) };
}
