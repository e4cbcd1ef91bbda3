import { redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase } from '$lib/server/platform/app-database';
import { forPage } from '$lib/server/http/pages';
import * as departments from '$lib/server/governance/departments';

/** One department: its communities on a map, deputies, escalations, link history (issue 14). */
export async function load({ params, locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const db = await appDatabase();
	const record = await forPage(departments.read(db.knex, locals.user, params.code));
	const isAdmin = locals.user.role === 'admin';
	// The communities an admin may link: every one, for the form's choice.
	const communities: { code: string; name: string }[] = isAdmin ? await db.knex('communities').orderBy('code').select('code', 'name') : [];
	return { record, isAdmin, communities, recentDays: departments.RECENT_DAYS, testHooks: env.MAP_TEST_HOOKS === '1' };
}
