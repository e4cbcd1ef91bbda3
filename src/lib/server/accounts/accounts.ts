/**
 * Accounts: scrypt password hashes and signing in — limited against guessing by
 * sign-in-limits.ts; sessions are sessions.ts's.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { json, type Call, type Reply } from '../http/endpoint.js';
import { fail } from '../platform/errors.js';
import { bodyText, parseJsonObject } from '../http/params.js';
import { endedSessionCookie, sessionCookie, sessionToken } from '../http/session.js';
import * as limits from './sign-in-limits.js';
import { errorBody } from '../../api-error.js';
import type { User } from './user.js';
import { createSession, deleteSession } from './sessions.js';

// The account and its sessions live in modules of their own (user.ts, sessions.ts), which the
// HTTP layer reads without this one; they are named here too for the modules that import them from here.
export { USER_ROLES, systemAdmin, type User, type UserRole } from './user.js';
export { SESSION_COOKIE, SESSION_HOURS, createSession, deleteSession, userForSession } from './sessions.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** Cost parameters: N = 2^15 takes ~50 ms here — slow for guessing, fine for signing in. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: SCRYPT.maxmem });
	return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Password hashing runs on libuv's four worker threads, which DNS lookups, file reads and
 * gzip share with the map's requests. At most HASHING_AT_ONCE hashes run and at most
 * HASHING_QUEUE wait; a sign-in beyond that is told to come back (503), so a flood of
 * sign-ins cannot starve everything else (issue 8).
 */
const HASHING_AT_ONCE = 2;
const HASHING_QUEUE = 32;
let hashing = 0;
const waiting: (() => void)[] = [];

export class HashingBusyError extends Error {}

async function boundedHash<T>(work: () => Promise<T>): Promise<T> {
	if (hashing >= HASHING_AT_ONCE) {
		if (waiting.length >= HASHING_QUEUE) throw new HashingBusyError('too many sign-ins at once');
		await new Promise<void>((resolve) => waiting.push(resolve));
	}
	hashing++;
	try {
		return await work();
	} finally {
		hashing--;
		waiting.shift()?.();
	}
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [scheme, n, r, p, salt, key] = stored.split('$');
	if (scheme !== 'scrypt' || !salt || !key) return false;
	const expected = Buffer.from(key, 'base64');
	const actual = await boundedHash(() => scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
		N: Number(n),
		r: Number(r),
		p: Number(p),
		maxmem: SCRYPT.maxmem
	}));
	return timingSafeEqual(actual, expected);
}

/** The user with these credentials, or null; a wrong username costs as much as a wrong password. */
export async function authenticate(knex: Knex, username: string, password: string): Promise<User | null> {
	const row = await knex('users')
		.where({ username, disabled: false })
		.first('id', 'username', 'role', 'person_id', 'department_id', 'password_hash');
	const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
	if (!row || !ok) return null;
	const { password_hash: _, ...user } = row;
	return user as User;
}
// A valid hash of nothing anyone types, so unknown usernames take the same time.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

// ---------------------------------------------------------------- endpoints: /api/session

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

	const knex = call.db.knex;
	const presented = await limits.presentedDevices(knex, call.header('cookie'));
	const attempt = limits.attemptOf(username, call.clientAddress, presented);
	const admission = await limits.admit(knex, attempt);
	if ('wait' in admission) return limits.waitReply(admission.wait);
	let user: User | null;
	try {
		user = await authenticate(knex, username, password);
	} catch (error) {
		// The password was never checked, so this attempt is no failure.
		await limits.withdraw(knex, admission.failureId).catch((e) => console.error(e));
		if (error instanceof HashingBusyError) fail(429, 'too many sign-ins at once; try again in a moment', { 'Retry-After': '1' });
		throw error;
	}
	if (!user) {
		const wait = await limits.failed(knex, attempt);
		return json({ ...errorBody('wrong username or password'), ...(wait ? limits.waitFields(wait) : {}) }, 401, { 'Cache-Control': 'no-store' });
	}
	const signedIn = user;
	const { session, devices } = await knex.transaction(async (trx) => {
		const devices = await limits.succeeded(trx, attempt, signedIn.id, presented);
		await trx('audit_log').insert({
			actor: signedIn.username,
			action: 'sign_in',
			entity: 'session',
			detail: JSON.stringify({ role: signedIn.role, trusted_device: attempt.device !== null })
		});
		return { session: await createSession(trx, signedIn.id), devices };
	});
	return {
		...json(whoIs(user), 200, { 'Cache-Control': 'no-store' }),
		// The session cookie first: clients that read one Set-Cookie line read the session.
		cookies: [sessionCookie(session.token, session.expires, call.secure), limits.deviceCookie(devices, call.secure)]
	};
}

/** GET /api/session: who am I — the signed-in user, or null. */
export async function getSession(call: Call): Promise<Reply> {
	return json(whoIs(call.user), 200, { 'Cache-Control': 'no-store' });
}

/** DELETE /api/session: sign out. */
export async function deleteSessionOf(call: Call): Promise<Reply> {
	const token = sessionToken(call.header('cookie'));
	if (token) {
		await deleteSession(call.db.knex, token);
		if (call.user) await call.db.knex('audit_log').insert({ actor: call.user.username, action: 'sign_out', entity: 'session', detail: '{}' });
	}
	return { status: 204, headers: { 'Set-Cookie': endedSessionCookie(call.secure), 'Cache-Control': 'no-store' } };
}
