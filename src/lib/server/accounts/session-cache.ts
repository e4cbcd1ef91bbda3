/**
 * The sessions this process read in the last few seconds, so a map loading fifty tiles asks
 * the database once (issue 22, point 9). A session must end everywhere the moment it is ended
 * anywhere, and several server processes may share one database: migration 1310 makes the
 * database NOTIFY on every statement that changes or deletes sessions, or changes or deletes
 * accounts (a sign-out, a disabled account, a new role — from this server, another one or
 * psql), and each process LISTENs and forgets everything it holds. Forgetting all is enough:
 * such statements are rare, and a forgotten session costs one query.
 *
 * A lookup that was already under way when the news came may have read the old state, so its
 * answer is not kept (`ask` notes the news so far; `set` keeps an answer only if none came
 * since). While the listening connection is down nothing is kept or served: a session that
 * outlives its sign-out is worse than a query. The embedded database (PGlite) runs in this
 * process only, and its LISTEN hears every write, so the cache works there the same way.
 *
 * One per process on globalThis: the Node server (the fast lane) and the SvelteKit bundle each
 * carry a copy of this module, and both must see the same sessions and the same news.
 */
import type { Database } from '../platform/db.js';
import type { User } from './user.js';

/** The NOTIFY channel of migration 1310. */
const CHANNEL = 'sessions_changed';
/** How long a session read is kept: a sign-out reaches every process at once, the expiry of a session at most this late. */
export const SESSION_CACHE_MS = 10_000;
/** At most this many sessions are kept; the oldest make room (a flood of made-up tokens cannot grow it). */
export const SESSION_CACHE_SIZE = 10_000;

export class SessionCache {
	private readonly entries = new Map<string, { user: User | null; at: number }>();
	/** News heard so far: bumped on every notification, on every (re)connect and on a local sign-out. */
	private news = 0;
	private live = false;

	/** The cached user (or null: no such session) of a token hash; undefined when not known. */
	get(key: string): User | null | undefined {
		if (!this.live) return undefined;
		const hit = this.entries.get(key);
		if (!hit) return undefined;
		if (Date.now() - hit.at < SESSION_CACHE_MS) return hit.user;
		this.entries.delete(key);
		return undefined;
	}

	/** Call before a lookup; hand the result to `set`. */
	ask(): number {
		return this.news;
	}

	/** Keeps a lookup's answer, unless news came since `asked` (the answer may be stale) or the news cannot be heard. */
	set(key: string, user: User | null, asked: number): void {
		if (!this.live || asked !== this.news) return;
		this.entries.delete(key);
		if (this.entries.size >= SESSION_CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!);
		this.entries.set(key, { user, at: Date.now() });
	}

	/** Something changed: nothing held is trusted any more. */
	forget(): void {
		this.news++;
		this.entries.clear();
	}

	/** Whether news is being heard; while it is not, nothing is kept. */
	hearing(up: boolean): void {
		this.live = up;
		this.forget();
	}

	get size(): number {
		return this.entries.size;
	}
}

const KEY = Symbol.for('wangge.sessionCaches');
type Held = { byDatabase: WeakMap<Database, Promise<SessionCache>>; all: Set<SessionCache> };
const held = (): Held => ((globalThis as { [KEY]?: Held })[KEY] ??= { byDatabase: new WeakMap(), all: new Set() });

/** The process's session cache for this database (in the app there is one), listening from its first use. */
export function sessionCache(db: Database): Promise<SessionCache> {
	const { byDatabase, all } = held();
	const known = byDatabase.get(db);
	if (known) return known;
	const cache = new SessionCache();
	const started = db
		.listen(CHANNEL, { notify: () => cache.forget(), live: (up) => cache.hearing(up) })
		.then(() => {
			all.add(cache);
			return cache;
		})
		.catch((error) => {
			byDatabase.delete(db);
			throw error;
		});
	byDatabase.set(db, started);
	return started;
}

/** Forgets this process's sessions now, ahead of the database's news (a sign-out here). */
export function forgetSessionsHere(): void {
	for (const cache of held().all) cache.forget();
}
