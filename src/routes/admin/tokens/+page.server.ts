import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import { may } from '$lib/server/accounts/permissions';
import * as accessTokens from '$lib/server/accounts/access-tokens';

/** Personal access tokens: admins only; a signed-out reader signs in and comes back here. */
export const load = pageLoad({ signIn: true }, async ({ db, user }) => {
	if (!may(user, 'token.issue')) error(403, '只有管理员可以管理访问令牌 · Only an administrator may manage access tokens');
	return accessTokens.adminPage(db.knex);
});
