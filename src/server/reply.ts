/** The shapes of a hot route (hot.ts): what it is given, and what it answers. */
import type { User } from '../lib/server/accounts.js';
import type { Database } from '../lib/server/db.js';
import type { Scope } from '../lib/server/territory.js';

/** What a handler knows of its request: the caller, their scope, path parameters and query. */
export interface Context {
	db: Database;
	user: User | null;
	scope: Scope;
	params: Record<string, string>;
	query: URLSearchParams;
}

/** What a hot route answers (hot.ts sends it): status, headers and a body, compressed there when worth it. */
export interface Reply {
	status: number;
	headers?: Record<string, string>;
	/** a string is sent as JSON text; bytes as they are (with the content type in headers) */
	body?: string | Buffer;
	/** gzip level for bodies over the threshold, when the client accepts gzip */
	gzipLevel?: number;
}

/** JSON of a value, as a reply. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Reply {
	return { status, headers, body: JSON.stringify(value) };
}

