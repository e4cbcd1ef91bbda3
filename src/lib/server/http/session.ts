/**
 * Reading the caller of a request, and the cookie that carries a session. Both doors of the
 * server (SvelteKit's hooks and the fast lane) read the caller here (readCaller): from an
 * `Authorization: Bearer` personal access token (access-tokens.ts), else from the session
 * cookie; the session endpoint writes the cookie here. A cookie that does not parse is no
 * session, never an error: the caller is anonymous. A bearer token that is not valid is an
 * error (401): a GIS client must learn its token is bad.
 */
import type { Database } from '../platform/db.js';
import type { User } from '../accounts/user.js';
import { SESSION_HOURS, userForSession } from '../accounts/sessions.js';
import { userForToken } from '../accounts/access-tokens.js';
import { bearerToken } from './access-tokens.js';
import { fail } from '../platform/errors.js';

/** The name of the cookie that carries a session token. */
export const SESSION_COOKIE = 'session';

/** The session token in a Cookie header, or undefined (absent, empty or malformed). */
export function sessionToken(cookieHeader: string | null | undefined): string | undefined {
	if (!cookieHeader) return undefined;
	for (const part of cookieHeader.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
		const value = part.slice(eq + 1).trim();
		// Our tokens are base64url; anything else cannot be one of ours.
		return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
	}
	return undefined;
}

/** The signed-in user of a request's Cookie header, or null. */
export function readSession(db: Database, cookieHeader: string | null | undefined): Promise<User | null> {
	const token = sessionToken(cookieHeader);
	return token ? userForSession(db, token) : Promise.resolve(null);
}

/** The methods a personal access token may use: it reads (access-tokens.ts says why). */
const TOKEN_METHODS = new Set(['GET', 'HEAD']);

/**
 * Who is asking: the user of a bearer token when the request carries one (the cookie is then
 * not read: the client said who it is), else the signed-in user of the session cookie, else
 * null. Throws a 401 for a bearer token that is not valid, and a 403 for a valid one on a
 * method other than GET or HEAD — tokens are read-only. A bearer request cannot be forged by
 * another site either way: a browser never adds an Authorization header on its own.
 */
export async function readCaller(db: Database, method: string, header: (name: string) => string | null): Promise<User | null> {
	const token = bearerToken(header('authorization'));
	if (token === undefined) return readSession(db, header('cookie'));
	const user = await userForToken(db.knex, token);
	if (!TOKEN_METHODS.has(method)) fail(403, `personal access tokens are read-only: ${method.slice(0, 20)} needs a signed-in session`);
	return user;
}

/**
 * The Set-Cookie value for a new session. `secure` follows the scheme the request really came
 * on: a browser on a plain-HTTP intranet host drops a Secure cookie (issue 8), and over
 * HTTPS the cookie must never travel in clear.
 */
export function sessionCookie(token: string, expires: Date, secure: boolean): string {
	return [`${SESSION_COOKIE}=${token}`, 'Path=/', `Expires=${expires.toUTCString()}`, `Max-Age=${SESSION_HOURS * 3600}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}

/** The Set-Cookie value that ends a session in the browser. */
export function endedSessionCookie(secure: boolean): string {
	return [`${SESSION_COOKIE}=`, 'Path=/', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'Max-Age=0', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}
