/** DELETE /api/access-tokens/{id}: an admin revokes a personal access token. */
import { endpoint } from '$lib/server/endpoint';
import * as accessTokens from '$lib/server/access-tokens';

export const DELETE = endpoint(accessTokens.deleteAccessToken);
