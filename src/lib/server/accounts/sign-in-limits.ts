/**
 * Sign-in limits (issue "Close the leaks", point 5): failed sign-ins slow the next attempt,
 * counted so that a stranger cannot lock out the county.
 *
 * Before, five failures per username and address, or fifty per address, refused even the
 * right password for 15 minutes, counted in one process's memory; behind a proxy every user
 * shares one address, so fifty failures from anyone locked out everyone. Now:
 *
 * - Trusted devices (OWASP's "device cookie"). A successful sign-in gives the browser a random
 *   token bound to the account (the `device` cookie, sent to /api/session only). An attempt
 *   carrying a valid one for the username it names is counted against that device alone, so a
 *   stranger's failures from anywhere never slow the real user on their usual browser.
 * - Attempts without one ("untrusted") count against three keys: the username at this address,
 *   the username from any untrusted client (guessing spread over many addresses), and this
 *   address across usernames (password spraying).
 * - Slow down rather than refuse. Each key has a number of failures within WINDOW_SECONDS that
 *   cost nothing (WAIT_FROM); from then on each failure makes the next attempt wait 30 s,
 *   1 min, 2 min … at most 15 min after it. A waiting attempt is answered 429 without its
 *   password being checked, and told until when.
 * - Failures live in PostgreSQL, so several processes agree, a restart does not forget, and an
 *   admin can unlock an account or an address (its failures deleted, with an audit row). Time
 *   is the database's now(): one clock for every process.
 * - Every failure leaves an audit row, and so does every wait it starts.
 * - The address is the one client-address.ts gives; behind a proxy, set ADDRESS_HEADER.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from './user.js';
import { fail } from '../platform/errors.js';
import { audit } from '../platform/audit.js';

// ---------------------------------------------------------------- the rule

/** What a failure is counted against. */
export const FAILURE_KEYS = ['device', 'account_address', 'account', 'address'] as const;
export type FailureKey = (typeof FAILURE_KEYS)[number];

/**
 * From this many failures within the window on, each failure makes the next attempt wait.
 * Five for one person at one place (a user mistyping more than that is rare); ten for an
 * account from every untrusted client together; fifty for an address across usernames, since
 * an office behind one address holds many people who mistype.
 */
export const WAIT_FROM: Record<FailureKey, number> = { device: 5, account_address: 5, account: 10, address: 50 };

/** Failures older than an hour are forgotten: long enough that the longest wait repeats, short enough that yesterday's typos cost nothing. */
export const WINDOW_SECONDS = 3600;
export const FIRST_WAIT_SECONDS = 30;
/** The longest wait: what the old flat refusal was, now reached only after several more failures. */
export const LONGEST_WAIT_SECONDS = 900;

/** Seconds the attempt after a key's `failures`-th failure must wait: 0 before WAIT_FROM, then doubling from 30 s, at most 15 min. */
export function waitSeconds(key: FailureKey, failures: number): number {
	const beyond = failures - WAIT_FROM[key];
	if (beyond < 0) return 0;
	return Math.min(FIRST_WAIT_SECONDS * 2 ** Math.min(beyond, 20), LONGEST_WAIT_SECONDS);
}

/** A key's failures in the window and the latest of them. */
export interface Tally {
	failures: number;
	last: Date | null;
}

/** A wait in force: until when, how many seconds from now, and which keys impose it. */
export interface Wait {
	until: Date;
	seconds: number;
	keys: FailureKey[];
}

/** The wait the tallies impose at `now`, or null: the latest end among the keys still waiting. */
export function waitOf(tallies: Partial<Record<FailureKey, Tally>>, now: Date): Wait | null {
	let until: Date | null = null;
	const keys: FailureKey[] = [];
	for (const key of FAILURE_KEYS) {
		const tally = tallies[key];
		if (!tally?.last) continue;
		const end = new Date(tally.last.getTime() + waitSeconds(key, tally.failures) * 1000);
		if (end <= now) continue;
		keys.push(key);
		if (!until || end > until) until = end;
	}
	return until ? { until, seconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)), keys } : null;
}

// ---------------------------------------------------------------- trusted devices

/** A device is trusted for a year after its last successful sign-in. */
export const DEVICE_DAYS = 365;
/** Browsers shared by several accounts (an office PC) keep a token for each, up to this many. */
export const COOKIE_DEVICES = 5;
/** Devices kept per account, the most recently used; an older one is simply untrusted again. */
const DEVICES_PER_ACCOUNT = 20;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A valid device token a request carried, and the account it is bound to. */
export interface PresentedDevice {
	id: number;
	token: string;
	username: string;
}

/** The valid (unexpired, enabled account) devices among the device tokens a request carried. */
export async function presentedDevices(knex: Knex, tokens: string[]): Promise<PresentedDevice[]> {
	if (!tokens.length) return [];
	const byHash = new Map(tokens.map((t) => [hashToken(t), t]));
	const rows: { id: number; token_hash: string; username: string }[] = await knex('sign_in_devices as d')
		.join('users as u', 'u.id', 'd.user_id')
		.whereIn('d.token_hash', [...byHash.keys()])
		.andWhere('d.expires_at', '>', knex.fn.now())
		.andWhere('u.disabled', false)
		.select('d.id', 'd.token_hash', 'u.username');
	return rows.map((r) => ({ id: r.id, token: byHash.get(r.token_hash)!, username: r.username }));
}

// ---------------------------------------------------------------- an attempt

/** One sign-in attempt as the limits see it. */
export interface Attempt {
	username: string;
	address: string;
	/** the trusted device it came from (a valid device cookie for this username), or null */
	device: number | null;
}

export function attemptOf(username: string, address: string, presented: PresentedDevice[]): Attempt {
	return { username, address: address.slice(0, 100), device: presented.find((d) => d.username === username)?.id ?? null };
}

/** The keys an attempt counts against: its device alone, or the three untrusted ones. */
const keysOf = (attempt: Attempt): FailureKey[] => (attempt.device === null ? ['account_address', 'account', 'address'] : ['device']);

/** Each key's failures in the window and the latest, for one attempt, with the database's now. */
const TALLY_SQL = `SELECT now() AS now,
	count(*) FILTER (WHERE device_id = :device)::int AS device_failures,
	max(at) FILTER (WHERE device_id = :device) AS device_last,
	count(*) FILTER (WHERE device_id IS NULL AND username = :username AND address = :address)::int AS account_address_failures,
	max(at) FILTER (WHERE device_id IS NULL AND username = :username AND address = :address) AS account_address_last,
	count(*) FILTER (WHERE device_id IS NULL AND username = :username)::int AS account_failures,
	max(at) FILTER (WHERE device_id IS NULL AND username = :username) AS account_last,
	count(*) FILTER (WHERE device_id IS NULL AND address = :address)::int AS address_failures,
	max(at) FILTER (WHERE device_id IS NULL AND address = :address) AS address_last
	FROM sign_in_failures
	WHERE at > now() - make_interval(secs => :window) AND (username = :username OR address = :address OR device_id = :device)`;

/** The wait in force for an attempt, or null. */
export async function currentWait(knex: Knex, attempt: Attempt): Promise<Wait | null> {
	const { rows } = await knex.raw(TALLY_SQL, { ...attempt, window: WINDOW_SECONDS });
	const row = rows[0];
	const tallies: Partial<Record<FailureKey, Tally>> = {};
	for (const key of keysOf(attempt)) {
		tallies[key] = { failures: Number(row[`${key}_failures`]), last: row[`${key}_last`] ? new Date(row[`${key}_last`]) : null };
	}
	return waitOf(tallies, new Date(row.now));
}

/**
 * Admits an attempt or says how long it must wait. An admitted attempt is written at once as a
 * failure and cleared if its password proves right: concurrent guesses (up to 34 can be in the
 * hashing queue) then each see the others, instead of all passing one empty count. The check
 * and that row are one step per username and per address (transaction-scoped advisory locks,
 * always the username's first, so two attempts never wait on each other in a circle).
 */
export async function admit(knex: Knex, attempt: Attempt): Promise<{ wait: Wait } | { failureId: number }> {
	return knex.transaction(async (trx) => {
		await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))', { key: `sign-in username ${attempt.username}` });
		await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))', { key: `sign-in address ${attempt.address}` });
		const wait = await currentWait(trx, attempt);
		if (wait) return { wait };
		const [row] = await trx('sign_in_failures').insert({ username: attempt.username, address: attempt.address, device_id: attempt.device }).returning(['id']);
		return { failureId: Number(row.id) };
	});
}

/** Takes back an admitted attempt whose password was never checked (the hashing queue was full). */
export async function withdraw(knex: Knex, failureId: number): Promise<void> {
	await knex('sign_in_failures').where({ id: failureId }).delete();
}

/** Pruning runs at most this often per process: one DELETE on an index, not one per failure. */
const PRUNE_EVERY_MS = 10 * 60_000;
let lastPrune = 0;

/**
 * The admitted attempt failed (its row stays): the audit rows, and the wait it starts, if any,
 * which the answer tells the user.
 */
export async function failed(knex: Knex, attempt: Attempt): Promise<Wait | null> {
	const wait = await knex.transaction(async (trx) => {
		const wait = await currentWait(trx, attempt);
		const entity = `account:${attempt.username}`;
		// The caller is not signed in: whoever typed it is anonymous, the username is what they claimed.
		await audit(trx, 'anonymous', 'sign_in_failed', entity, { address: attempt.address, trusted_device: attempt.device !== null });
		if (wait) {
			await audit(trx, 'system', 'sign_in_locked', entity, { address: attempt.address, until: wait.until.toISOString(), seconds: wait.seconds, counted: wait.keys });
		}
		return wait;
	});
	if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
		lastPrune = Date.now();
		await knex.raw('DELETE FROM sign_in_failures WHERE at < now() - make_interval(secs => :window)', { window: WINDOW_SECONDS });
	}
	return wait;
}

/**
 * The attempt succeeded; in the sign-in's transaction: forget the failures this client made
 * (its device's, or this username's at this address — never a stranger's elsewhere, or
 * signing in would reset an attacker's wait), and trust this browser for the account. Returns
 * the device cookie's tokens: this account's first, then the other accounts' it carried.
 */
export async function succeeded(trx: Knex, attempt: Attempt, userId: number, presented: PresentedDevice[]): Promise<string[]> {
	let token: string;
	if (attempt.device !== null) {
		await trx('sign_in_failures').where({ device_id: attempt.device }).delete();
		await trx('sign_in_devices')
			.where({ id: attempt.device })
			.update({ last_used_at: trx.fn.now(), expires_at: trx.raw(`now() + make_interval(days => ?)`, [DEVICE_DAYS]) });
		token = presented.find((d) => d.id === attempt.device)!.token;
	} else {
		await trx('sign_in_failures').whereNull('device_id').andWhere({ username: attempt.username, address: attempt.address }).delete();
		token = randomBytes(32).toString('base64url');
		await trx('sign_in_devices').insert({ user_id: userId, token_hash: hashToken(token), expires_at: trx.raw(`now() + make_interval(days => ?)`, [DEVICE_DAYS]) });
	}
	await trx.raw(
		`DELETE FROM sign_in_devices WHERE user_id = :userId AND (expires_at <= now() OR id NOT IN (
			SELECT id FROM sign_in_devices WHERE user_id = :userId ORDER BY last_used_at DESC, id DESC LIMIT :keep))`,
		{ userId, keep: DEVICES_PER_ACCOUNT }
	);
	const others = presented.filter((d) => d.username !== attempt.username).map((d) => d.token);
	return [token, ...others].slice(0, COOKIE_DEVICES);
}

// ---------------------------------------------------------------- locks, for an admin

export interface AddressFailures {
	address: string;
	failures: number;
	/** ISO instant, or null: not waiting */
	locked_until: string | null;
}

export interface AccountLock {
	username: string;
	role: string;
	disabled: boolean;
	/** failures in the window under this username, from every client */
	failures: number;
	/** the latest end of any wait on this account (any address, any device), or null */
	locked_until: string | null;
	/** where the failures came from */
	addresses: AddressFailures[];
}

export interface AddressLock extends AddressFailures {
	/** how many usernames were tried from it */
	usernames: number;
}

export interface SignInLocks {
	/** the database's now, which the waits are measured from */
	now: string;
	window_seconds: number;
	/** every account: waiting ones first, then those with failures, then by name */
	accounts: AccountLock[];
	/** every address with untrusted failures in the window, waiting ones first */
	addresses: AddressLock[];
}

/** Failures in the window, grouped by the client that made them. */
const GROUPS_SQL = `SELECT username, address, device_id, count(*)::int AS failures, max(at) AS last
	FROM sign_in_failures WHERE at > now() - make_interval(secs => :window)
	GROUP BY username, address, device_id`;

interface Group {
	username: string;
	address: string;
	device_id: number | null;
	failures: number;
	last: Date;
}

/** Sums groups into one key's tally. */
function tally(groups: Group[]): Tally {
	return groups.reduce<Tally>((t, g) => ({ failures: t.failures + g.failures, last: !t.last || g.last > t.last ? g.last : t.last }), { failures: 0, last: null });
}

const iso = (wait: Wait | null) => wait?.until.toISOString() ?? null;
const latest = (values: (string | null)[]) => values.filter((v): v is string => v !== null).sort().at(-1) ?? null;

/** Every account with its sign-in lock state, and every address with recent failures. */
export async function list(knex: Knex): Promise<SignInLocks> {
	// One transaction, so now() is the instant the failures were read at.
	const { now, rows, users } = await knex.transaction(async (trx) => ({
		now: new Date((await trx.raw('SELECT now() AS now')).rows[0].now),
		rows: (await trx.raw(GROUPS_SQL, { window: WINDOW_SECONDS })).rows,
		users: (await trx('users').orderBy('username').select('username', 'role', 'disabled')) as { username: string; role: string; disabled: boolean }[]
	}));
	const groups: Group[] = rows.map((r: Group) => ({ ...r, failures: Number(r.failures), last: new Date(r.last) }));
	const untrusted = groups.filter((g) => g.device_id === null);

	const accounts: AccountLock[] = users.map((u) => {
		const own = groups.filter((g) => g.username === u.username);
		const ownUntrusted = own.filter((g) => g.device_id === null);
		const addresses = [...new Set(own.map((g) => g.address))].sort().map((address) => ({
			address,
			failures: tally(own.filter((g) => g.address === address)).failures,
			locked_until: iso(waitOf({ account_address: tally(ownUntrusted.filter((g) => g.address === address)) }, now))
		}));
		const devices = [...new Set(own.flatMap((g) => (g.device_id === null ? [] : [g.device_id])))];
		const waits = [
			iso(waitOf({ account: tally(ownUntrusted) }, now)),
			...addresses.map((a) => a.locked_until),
			...devices.map((d) => iso(waitOf({ device: tally(own.filter((g) => g.device_id === d)) }, now)))
		];
		return { username: u.username, role: u.role, disabled: u.disabled, failures: tally(own).failures, locked_until: latest(waits), addresses };
	});
	accounts.sort((a, b) => Number(!a.locked_until) - Number(!b.locked_until) || Number(!a.failures) - Number(!b.failures) || a.username.localeCompare(b.username));

	const addresses: AddressLock[] = [...new Set(untrusted.map((g) => g.address))].map((address) => {
		const from = untrusted.filter((g) => g.address === address);
		return { address, failures: tally(from).failures, usernames: new Set(from.map((g) => g.username)).size, locked_until: iso(waitOf({ address: tally(from) }, now)) };
	});
	addresses.sort((a, b) => Number(!a.locked_until) - Number(!b.locked_until) || b.failures - a.failures || a.address.localeCompare(b.address));

	return { now: now.toISOString(), window_seconds: WINDOW_SECONDS, accounts, addresses };
}

/**
 * Unlocks an account: forgets every failure under its username (every address, every device),
 * with an audit row in the same transaction. Unlocking an account with no failures changes
 * nothing and writes nothing.
 */
export async function unlockAccount(knex: Knex, actor: User, username: string): Promise<{ username: string; cleared: number }> {
	return knex.transaction(async (trx) => {
		const account = await trx('users').where({ username }).first('id');
		if (!account) fail(404, `no account '${username.slice(0, 60)}'`);
		// Counted from RETURNING: the embedded driver answers a bare DELETE with its raw result, not a count.
		const cleared = (await trx('sign_in_failures').where({ username }).delete().returning('id')).length;
		if (cleared) await audit(trx, actor, 'unlock_sign_in', `account:${username}`, { cleared });
		return { username, cleared };
	});
}

/**
 * Unlocks an address (a proxy every user comes through, say): forgets the untrusted failures
 * made from it, with an audit row. A trusted device's failures stay: they are the device's.
 */
export async function unlockAddress(knex: Knex, actor: User, address: string): Promise<{ address: string; cleared: number }> {
	return knex.transaction(async (trx) => {
		const cleared = (await trx('sign_in_failures').where({ address }).whereNull('device_id').delete().returning('id')).length;
		if (cleared) await audit(trx, actor, 'unlock_sign_in', `address:${address}`, { cleared });
		return { address, cleared };
	});
}
