import { error, redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import * as settings from '$lib/server/cases/case-settings';
import { may } from '$lib/server/accounts/permissions';

/** The case loop's settings: admins only; a signed-out reader signs in and comes back here. */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (!may(locals.user, 'case-settings.edit')) error(403, '只有管理员可以修改案件设置 · Only an administrator may change case settings');
	const db = await appDatabase();
	return settings.adminPage(db.knex);
}
