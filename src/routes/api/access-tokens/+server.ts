/** GET /api/access-tokens: an admin lists personal access tokens; POST: issues one. */
import { endpoint } from '$lib/server/http/endpoint';
import * as accessTokens from '$lib/server/http/access-tokens';

export const GET = endpoint(accessTokens.getAccessTokens);
export const POST = endpoint(accessTokens.postAccessToken);
