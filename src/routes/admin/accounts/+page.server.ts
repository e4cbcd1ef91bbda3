import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import { may } from '$lib/server/accounts/permissions';
import * as signInLimits from '$lib/server/accounts/sign-in-limits';

/** Accounts and their sign-in locks: admins only; a signed-out reader signs in and comes back here. */
export const load = pageLoad({ signIn: true }, async ({ db, user }) => {
	if (!may(user, 'sign-in-lock.clear')) error(403, '只有管理员可以解除登录锁定 · Only an administrator may unlock sign-ins');
	return signInLimits.list(db.knex);
});
