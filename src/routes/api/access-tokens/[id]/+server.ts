/** DELETE /api/access-tokens/{id}: an admin revokes a personal access token. */
import { endpoint } from '$lib/server/http/endpoint';
import * as accessTokens from '$lib/server/http/access-tokens';

export const DELETE = endpoint(accessTokens.deleteAccessToken);
