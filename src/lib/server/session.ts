/**
 * Reading the session of a request, and the cookie that carries it. Both doors of the server
 * (SvelteKit's hooks and the fast lane) read the caller here, from the Cookie header; the
 * session endpoint writes the cookie here. A cookie that does not parse is no session, never
 * an error: the caller is anonymous.
 */
import type { Knex } from 'knex';
import { SESSION_COOKIE, SESSION_HOURS, userForSession, type User } from './accounts.js';

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
export function readSession(knex: Knex, cookieHeader: string | null | undefined): Promise<User | null> {
	const token = sessionToken(cookieHeader);
	return token ? userForSession(knex, token) : Promise.resolve(null);
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
