import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import * as settings from '$lib/server/cases/case-settings';
import { may } from '$lib/server/accounts/permissions';

/** The case loop's settings: admins only; a signed-out reader signs in and comes back here. */
export const load = pageLoad({ signIn: true }, async ({ db, user }) => {
	if (!may(user, 'case-settings.edit')) error(403, '只有管理员可以修改案件设置 · Only an administrator may change case settings');
	return settings.adminPage(db.knex);
});
