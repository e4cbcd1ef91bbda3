/**
 * Personal access tokens (issue 12): an admin issues one for a user account, and desktop GIS
 * (QGIS, GDAL's OAPIF driver, a script) sends it as `Authorization: Bearer wgz_…` where no
 * browser cookie exists. The request then acts as that user, with exactly that user's
 * territory (territory.ts takes it from the User, however the user was found).
 *
 * Tokens are READ-ONLY: a bearer request may only GET or HEAD (session.ts refuses anything
 * else with a 403). Their purpose is reading layers into desktop GIS; writes stay with a
 * signed-in browser, where a person sees what they change. It also means a leaked token
 * can read, never change, what its account may read.
 *
 * Only a SHA-256 of a token is stored (32 random bytes need no salt or slow hash against
 * guessing); the token itself exists once, in the answer that issues it. A token is revoked,
 * never deleted, so the audit log's `access_token:<id>` keeps naming a row.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from './user.js';
import { fail } from '../platform/errors.js';
import { audit } from '../platform/audit.js';

/** What every token starts with, so a token pasted into the wrong place (a log, a chat) is recognisable, and secret scanners can match it. */
export const TOKEN_PREFIX = 'wgz_';
/** wgz_ and 32 random bytes in base64url (43 characters, no padding). */
const TOKEN_SHAPE = /^wgz_[A-Za-z0-9_-]{43}$/;

/** The longest a token may be issued for: ten years, the life of a GIS project at most. */
export const MAX_EXPIRY_DAYS = 3650;
/** Longest label: a few words saying who holds the token (县自然资源局 QGIS). */
export const MAX_LABEL = 100;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function newToken(): string {
	return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

// ---------------------------------------------------------------- who a bearer token acts as

/** A 401 a GIS client understands (RFC 6750 §3): its token is bad, it is not simply anonymous. */
function invalidToken(message: string): never {
	fail(401, message, { 'WWW-Authenticate': `Bearer realm="wangge", error="invalid_token", error_description="${message.replace(/["\\]/g, '')}"` });
}

/**
 * Tokens looked up in the last few seconds, so QGIS loading a layer page after page asks the
 * database once. Revoking here forgets at once; a token revoked or an account disabled by
 * another process lasts at most TOKEN_MEMO_MS; an expiry is checked on every use.
 */
const TOKEN_MEMO_MS = 10_000;
interface Holder {
	tokenId: number;
	user: User;
	/** epoch ms, or null: never expires */
	expires: number | null;
}

/** last_used_at is written at most once a minute per token: it says "in use lately", not a log of requests. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * One memo per process on globalThis: the fast lane and the SvelteKit bundle each carry a copy
 * of this module (see layer-versions.ts), and a token revoked through one door must be
 * forgotten by the other at once.
 */
const KEY = Symbol.for('wangge.accessTokens');
type Memos = { memo: Map<string, { holder: Holder | null; at: number }>; lastUseWritten: Map<number, number> };
const { memo, lastUseWritten } = ((globalThis as { [KEY]?: Memos })[KEY] ??= { memo: new Map(), lastUseWritten: new Map() });

/** The valid token with this hash and its user (enabled), or null: unknown, revoked, expired or the account disabled. */
export const HOLDER_SQL = `SELECT t.id AS token_id, t.expires_at, u.id, u.username, u.role, u.person_id, u.department_id
	FROM access_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT u.disabled`;

async function lookup(knex: Knex, hash: string): Promise<Holder | null> {
	const { rows } = await knex.raw(HOLDER_SQL, { hash });
	const row = rows[0];
	if (!row) return null;
	return {
		tokenId: row.token_id,
		expires: row.expires_at ? new Date(row.expires_at).getTime() : null,
		user: { id: row.id, username: row.username, role: row.role, person_id: row.person_id, department_id: row.department_id }
	};
}

/**
 * The user a bearer token acts as. A malformed, unknown, revoked or expired token, or one
 * whose account is disabled, is a 401 with `WWW-Authenticate: Bearer error="invalid_token"`:
 * never silently anonymous, or a GIS client would show an empty layer and no reason.
 */
export async function userForToken(knex: Knex, token: string): Promise<User> {
	if (!TOKEN_SHAPE.test(token)) invalidToken(`the access token is malformed: a personal access token is ${TOKEN_PREFIX} followed by 43 characters`);
	const hash = hashToken(token);
	const now = Date.now();
	let hit = memo.get(hash);
	if (!hit || now - hit.at >= TOKEN_MEMO_MS) {
		hit = { holder: await lookup(knex, hash), at: now };
		if (memo.size > 10_000) memo.clear();
		memo.set(hash, hit);
	}
	const holder = hit.holder;
	if (!holder || (holder.expires !== null && holder.expires <= now)) invalidToken('the access token is not valid: it is unknown, revoked or expired, or its account is disabled');
	await noteUse(knex, holder.tokenId, now);
	return holder.user;
}

async function noteUse(knex: Knex, tokenId: number, now: number): Promise<void> {
	if (now - (lastUseWritten.get(tokenId) ?? 0) < LAST_USED_EVERY_MS) return;
	if (lastUseWritten.size > 10_000) lastUseWritten.clear();
	lastUseWritten.set(tokenId, now);
	try {
		// The condition holds it to once a minute across processes too.
		await knex.raw(`UPDATE access_tokens SET last_used_at = now() WHERE id = :id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, { id: tokenId });
	} catch (error) {
		// A read goes on when its bookkeeping cannot be written (a database in recovery, say).
		console.error(error);
	}
}

/** Forget what the memo holds of a token, after it is revoked here. */
function forget(tokenId: number): void {
	for (const [hash, hit] of memo) if (hit.holder?.tokenId === tokenId) memo.delete(hash);
}

// ---------------------------------------------------------------- the tokens

export interface AccessTokenRow {
	id: number;
	/** the account the token acts as */
	username: string;
	label: string;
	created_at: string;
	/** who issued it; null for the system (a CLI) */
	created_by: string | null;
	expires_at: string | null;
	revoked_at: string | null;
	last_used_at: string | null;
	state: 'active' | 'expired' | 'revoked';
}

/** Every column a list shows; never the hash. */
const LIST_SQL = `SELECT t.id, u.username, t.label, t.created_at, c.username AS created_by, t.expires_at, t.revoked_at, t.last_used_at,
		CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked' WHEN t.expires_at <= now() THEN 'expired' ELSE 'active' END AS state
	FROM access_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN users c ON c.id = t.created_by`;

/** Every token, newest first; `userId` narrows it to one account's. */
export async function list(knex: Knex, userId?: number): Promise<AccessTokenRow[]> {
	const sql = userId === undefined ? `${LIST_SQL} ORDER BY t.created_at DESC, t.id DESC` : `${LIST_SQL} WHERE t.user_id = :userId ORDER BY t.created_at DESC, t.id DESC`;
	return (await knex.raw(sql, userId === undefined ? {} : { userId })).rows;
}

async function one(knex: Knex, id: number): Promise<AccessTokenRow | undefined> {
	return (await knex.raw(`${LIST_SQL} WHERE t.id = :id`, { id })).rows[0];
}

export interface NewToken {
	username: string;
	label: string;
	/** undefined: never expires */
	expiresInDays?: number;
}

/** Issues a token; the answer is the only time the token itself exists outside the client that holds it. */
export async function create(knex: Knex, actor: User, input: NewToken): Promise<AccessTokenRow & { token: string }> {
	const token = newToken();
	return knex.transaction(async (trx) => {
		const holder = await trx('users').where({ username: input.username }).first('id', 'disabled');
		if (!holder) fail(400, `username '${input.username.slice(0, 60)}' is not an account`);
		if (holder.disabled) fail(400, `username '${input.username.slice(0, 60)}' is a disabled account`);
		const [{ id }] = await trx('access_tokens')
			.insert({
				user_id: holder.id,
				label: input.label,
				token_hash: hashToken(token),
				// created_by is null for the system admin (id 0, no users row), e.g. a CLI.
				created_by: actor.id > 0 ? actor.id : null,
				expires_at: input.expiresInDays === undefined ? null : trx.raw(`now() + make_interval(days => ?)`, [input.expiresInDays])
			})
			.returning(['id']);
		const row = (await one(trx, id))!;
		await audit(trx, actor, 'issue_access_token', `access_token:${id}`, { username: row.username, label: row.label, expires_at: row.expires_at });
		return { ...row, token };
	});
}

/** Revokes a token; revoking it again keeps the first revoked_at and writes no second audit row. */
export async function revoke(knex: Knex, actor: User, id: number): Promise<AccessTokenRow> {
	const row = await knex.transaction(async (trx) => {
		const [revoked] = await trx('access_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() }, ['id', 'label']);
		if (revoked) await audit(trx, actor, 'revoke_access_token', `access_token:${id}`, { label: revoked.label });
		const found = await one(trx, id);
		if (!found) fail(404, `no access token ${id}`);
		return found;
	});
	forget(id);
	return row;
}

// ---------------------------------------------------------------- the admin page

/** Everything /admin/tokens shows, for an admin: the tokens, and the accounts one may be issued for. */
export async function adminPage(knex: Knex) {
	return {
		tokens: await list(knex),
		accounts: (await knex('users').where({ disabled: false }).orderBy('username').select('username', 'role')) as { username: string; role: string }[]
	};
}
