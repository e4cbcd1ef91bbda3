import { error, redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import * as signInLimits from '$lib/server/accounts/sign-in-limits';

/** Accounts and their sign-in locks: admins only; a signed-out reader signs in and comes back here. */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (locals.user.role !== 'admin') error(403, '只有管理员可以解除登录锁定 · Only an administrator may unlock sign-ins');
	const db = await appDatabase();
	return signInLimits.list(db.knex);
}
