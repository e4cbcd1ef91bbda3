/**
 * Accounts: scrypt password hashes and signing in — limited against guessing by
 * sign-in-limits.ts; sessions are sessions.ts's.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { fail } from '../platform/errors.js';
import * as limits from './sign-in-limits.js';
import { audit } from '../platform/audit.js';
import { errorBody } from '../../api-error.js';
import type { User } from './user.js';
import { createSession, deleteSession } from './sessions.js';

// The account and its sessions live in modules of their own (user.ts, sessions.ts), which the
// HTTP layer reads without this one; they are named here too for the modules that import them from here.
export { USER_ROLES, systemAdmin, type User, type UserRole } from './user.js';
export { SESSION_HOURS, createSession, deleteSession, userForSession } from './sessions.js';

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

// ---------------------------------------------------------------- signing in and out

/** What a sign-in attempt came to. */
export type SignIn =
	/** failures made this attempt wait: it was refused before its password was checked */
	| { outcome: 'wait'; wait: limits.Wait }
	/** wrong username or password; the wait this failure starts, if any */
	| { outcome: 'failed'; wait: limits.Wait | null }
	/** signed in: the new session, and the device tokens the browser keeps from now on */
	| { outcome: 'signed-in'; user: User; session: { token: string; expires: Date }; devices: string[] };

/**
 * Signs in, limited against guessing (sign-in-limits.ts): an attempt that must wait is
 * refused before its password is checked; a failure is counted; a success starts a session,
 * trusts the device, and is audited, in one transaction. `devices` are the device tokens the
 * request carried, `address` the caller's network address.
 */
export async function signIn(knex: Knex, credentials: { username: string; password: string }, from: { address: string; devices: string[] }): Promise<SignIn> {
	const presented = await limits.presentedDevices(knex, from.devices);
	const attempt = limits.attemptOf(credentials.username, from.address, presented);
	const admission = await limits.admit(knex, attempt);
	if ('wait' in admission) return { outcome: 'wait', wait: admission.wait };
	let user: User | null;
	try {
		user = await authenticate(knex, credentials.username, credentials.password);
	} catch (error) {
		// The password was never checked, so this attempt is no failure.
		await limits.withdraw(knex, admission.failureId).catch((e) => console.error(e));
		if (error instanceof HashingBusyError) fail(429, 'too many sign-ins at once; try again in a moment', { 'Retry-After': '1' });
		throw error;
	}
	if (!user) return { outcome: 'failed', wait: await limits.failed(knex, attempt) };
	const signedIn = user;
	const { session, devices } = await knex.transaction(async (trx) => {
		const devices = await limits.succeeded(trx, attempt, signedIn.id, presented);
		await audit(trx, signedIn, 'sign_in', 'session', { role: signedIn.role, trusted_device: attempt.device !== null });
		return { session: await createSession(trx, signedIn.id), devices };
	});
	return { outcome: 'signed-in', user: signedIn, session, devices };
}

/** Ends a session (its token), audited when it was a signed-in user's. */
export async function signOut(knex: Knex, token: string, user: User | null): Promise<void> {
	await deleteSession(knex, token);
	if (user) await audit(knex, user, 'sign_out', 'session', {});
}
