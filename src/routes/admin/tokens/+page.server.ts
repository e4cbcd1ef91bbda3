import { error, redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import * as accessTokens from '$lib/server/accounts/access-tokens';

/** Personal access tokens: admins only; a signed-out reader signs in and comes back here. */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (locals.user.role !== 'admin') error(403, '只有管理员可以管理访问令牌 · Only an administrator may manage access tokens');
	const db = await appDatabase();
	return accessTokens.adminPage(db.knex);
}
