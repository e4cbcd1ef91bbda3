/** POST /api/session: sign in; GET: who am I; DELETE: sign out. */
import { endpoint } from '$lib/server/http/endpoint';
import * as accounts from '$lib/server/http/session-endpoints';

export const POST = endpoint(accounts.postSession);
export const GET = endpoint(accounts.getSession);
export const DELETE = endpoint(accounts.deleteSessionOf);
