/**
 * Sessions: random tokens, stored as SHA-256 hashes (a leaked table opens nothing), that last
 * SESSION_HOURS. Every request reads its session; a session read in the last few seconds comes
 * from session-cache.ts, without a query, until a sign-out or an account change anywhere ends it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Database } from '../platform/db.js';
import type { User } from './user.js';
import { sessionCache, forgetSessionsHere } from './session-cache.js';

/** Sessions last 12 hours: a working day, then sign in again. */
export const SESSION_HOURS = 12;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(knex: Knex, userId: number): Promise<{ token: string; expires: Date }> {
	const token = randomBytes(32).toString('base64url');
	const expires = new Date(Date.now() + SESSION_HOURS * 3600_000);
	await knex('sessions').insert({ token_hash: hashToken(token), user_id: userId, expires_at: expires });
	return { token, expires };
}

/** The signed-in user of a session token, or null (no such session, expired, or the account disabled). */
export async function userForSession(db: Database, token: string | undefined): Promise<User | null> {
	if (!token) return null;
	const key = hashToken(token);
	const cache = await sessionCache(db);
	const hit = cache.get(key);
	if (hit !== undefined) return hit;
	const asked = cache.ask();
	const user = await lookupSession(db.knex, key);
	cache.set(key, user, asked);
	return user;
}

async function lookupSession(knex: Knex, tokenHash: string): Promise<User | null> {
	const row = await knex('sessions as s')
		.join('users as u', 'u.id', 's.user_id')
		.where('s.token_hash', tokenHash)
		.andWhere('s.expires_at', '>', knex.fn.now())
		.andWhere('u.disabled', false)
		.first('u.id', 'u.username', 'u.role', 'u.person_id', 'u.department_id');
	return (row as User | undefined) ?? null;
}

/**
 * Ends a session. The database tells every process (session-cache.ts); this one forgets at
 * once too, so the sign-out's own answer is never followed by a request it still lets in.
 */
export async function deleteSession(knex: Knex, token: string): Promise<void> {
	await knex('sessions').where('token_hash', hashToken(token)).delete();
	forgetSessionsHere();
}
