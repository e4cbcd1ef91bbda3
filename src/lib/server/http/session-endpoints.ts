/**
 * Signing in and out over HTTP (/api/session): reading the credentials and the cookies a
 * request carries, and answering with the session and device cookies. The verbs (the
 * attempt, its limits, the session row) live in accounts/accounts.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { bodyText, parseJsonObject } from './params.js';
import { endedSessionCookie, sessionCookie, sessionToken } from './session.js';
import { deviceCookie, deviceTokens, waitFields, waitReply } from './sign-in-limits.js';
import { fail } from '../platform/errors.js';
import { signIn, signOut, type User } from '../accounts/accounts.js';
import { errorBody } from '../../api-error.js';

/** The body of a sign-in is two short strings. */
const SESSION_BODY_LIMIT = 4096;

const whoIs = (user: User | null) => ({ user: user ? { username: user.username, role: user.role } : null });

/**
 * POST /api/session {"username", "password"}: sign in; an http-only session cookie, and the
 * device cookie that lets this browser in when strangers' failures make others wait. Failed
 * sign-ins slow the next attempt (sign-in-limits.ts): a waiting attempt is a 429 saying until
 * when, before its password is checked; a failure that starts a wait says so in its 401.
 */
export async function postSession(call: Call): Promise<Reply> {
	const body = parseJsonObject(await call.body(SESSION_BODY_LIMIT), '{"username": "…", "password": "…"}');
	const username = bodyText(body, 'username', { max: 100 });
	const password = Object.hasOwn(body, 'password') ? body.password : undefined;
	if (typeof password !== 'string' || password === '') fail(400, 'password is required');
	if (password.length > 1000) fail(400, 'password must be at most 1000 characters');

	const result = await signIn(call.db.knex, { username, password }, { address: call.clientAddress, devices: deviceTokens(call.header('cookie')) });
	if (result.outcome === 'wait') return waitReply(result.wait);
	if (result.outcome === 'failed') {
		return json({ ...errorBody('wrong username or password'), ...(result.wait ? waitFields(result.wait) : {}) }, 401, { 'Cache-Control': 'no-store' });
	}
	return {
		...json(whoIs(result.user), 200, { 'Cache-Control': 'no-store' }),
		// The session cookie first: clients that read one Set-Cookie line read the session.
		cookies: [sessionCookie(result.session.token, result.session.expires, call.secure), deviceCookie(result.devices, call.secure)]
	};
}

/** GET /api/session: who am I — the signed-in user, or null. */
export async function getSession(call: Call): Promise<Reply> {
	return json(whoIs(call.user), 200, { 'Cache-Control': 'no-store' });
}

/** DELETE /api/session: sign out. */
export async function deleteSessionOf(call: Call): Promise<Reply> {
	const token = sessionToken(call.header('cookie'));
	if (token) await signOut(call.db.knex, token, call.user);
	return { status: 204, headers: { 'Set-Cookie': endedSessionCookie(call.secure), 'Cache-Control': 'no-store' } };
}
