import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as accounts from '$lib/server/accounts';

const limiter = new accounts.LoginLimiter();

/**
 * Secure follows the scheme the request really came on (the server tells SvelteKit, see
 * src/server/index.ts): a browser on a plain-HTTP intranet host drops a Secure cookie, and
 * SvelteKit's default is Secure everywhere but localhost.
 */
function cookieOptions(url: URL) {
	return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: url.protocol === 'https:' };
}

/** Sign in: JSON {"username", "password"} → an http-only session cookie. */
export async function POST({ request, cookies, getClientAddress, url }) {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		error(400, 'the body must be JSON: {"username": "…", "password": "…"}');
	}
	const { username, password } = (body ?? {}) as Record<string, unknown>;
	if (typeof username !== 'string' || username === '') error(400, 'username is required');
	if (typeof password !== 'string' || password === '') error(400, 'password is required');

	const key = `${username}|${getClientAddress()}`;
	const wait = limiter.retryAfter(key);
	if (wait > 0) {
		return json({ message: `too many failed sign-ins; try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
	}
	const db = await appDatabase();
	const user = await accounts.authenticate(db.knex, username, password);
	if (!user) {
		limiter.fail(key);
		error(401, 'wrong username or password');
	}
	limiter.succeed(key);
	const session = await db.knex.transaction(async (trx) => {
		await trx('audit_log').insert({ actor: user.username, action: 'sign_in', entity: 'session', detail: JSON.stringify({ role: user.role }) });
		return accounts.createSession(trx, user.id);
	});
	cookies.set(accounts.SESSION_COOKIE, session.token, { ...cookieOptions(url), expires: session.expires });
	return json({ user: { username: user.username, role: user.role } });
}

/** Who am I: the signed-in user, or null. */
export async function GET({ locals }) {
	return json({ user: locals.user ? { username: locals.user.username, role: locals.user.role } : null });
}

/** Sign out. */
export async function DELETE({ cookies, url }) {
	const token = cookies.get(accounts.SESSION_COOKIE);
	if (token) await accounts.deleteSession((await appDatabase()).knex, token);
	cookies.delete(accounts.SESSION_COOKIE, cookieOptions(url));
	return new Response(null, { status: 204 });
}
