/**
 * Sign-in limits over HTTP: the device cookie a browser keeps (reading it and writing it),
 * the answer to an attempt that must wait, and an admin's view and unlocking of the locks.
 * The rule itself lives in accounts/sign-in-limits.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { bodyOptionalText, parseJsonObject } from './params.js';
import { allow } from './allow.js';
import { fail } from '../platform/errors.js';
import * as limits from '../accounts/sign-in-limits.js';
import { retryClock } from '../../i18n.js';
import { errorBody } from '../../api-error.js';

// ---------------------------------------------------------------- the device cookie

export const DEVICE_COOKIE = 'device';
const DEVICE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The device tokens in a Cookie header: well-formed ones only, at most COOKIE_DEVICES (sign-in-limits.ts). */
export function deviceTokens(cookieHeader: string | null | undefined): string[] {
	if (!cookieHeader) return [];
	for (const part of cookieHeader.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0 || part.slice(0, eq).trim() !== DEVICE_COOKIE) continue;
		const tokens = part.slice(eq + 1).trim().split('.').filter((t) => DEVICE_TOKEN.test(t));
		return [...new Set(tokens)].slice(0, limits.COOKIE_DEVICES);
	}
	return [];
}

/**
 * The Set-Cookie value of the device cookie. Only /api/session receives it (nothing else
 * needs it), never script (HttpOnly), never another site's request (SameSite=Strict); Secure
 * over HTTPS, as the session cookie.
 */
export function deviceCookie(tokens: string[], secure: boolean): string {
	return [`${DEVICE_COOKIE}=${tokens.join('.')}`, 'Path=/api/session', `Max-Age=${limits.DEVICE_DAYS * 86_400}`, 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

// ---------------------------------------------------------------- waiting

/** The answer to an attempt that must wait: 429, with when as a clock time (China time) and in seconds. */
export function waitReply(wait: limits.Wait): Reply {
	return json(
		{ ...errorBody(`too many failed sign-ins; try again after ${retryClock(wait.until)} China time (UTC+8), in ${wait.seconds} s`), ...waitFields(wait) },
		429,
		{ 'Retry-After': String(wait.seconds), 'Cache-Control': 'no-store' }
	);
}

/** When a waiting client may try again, for the page to show: an instant and seconds from now. */
export function waitFields(wait: limits.Wait): { retry_at: string; retry_after: number } {
	return { retry_at: wait.until.toISOString(), retry_after: wait.seconds };
}

// ---------------------------------------------------------------- locks, for an admin

const NO_STORE = { 'Cache-Control': 'no-store' };
/** An unlock names one account or one address. */
const UNLOCK_BODY_LIMIT = 1024;

/** GET /api/sign-in-locks: an admin sees every account's lock state and the addresses with failures. */
export async function getSignInLocks(call: Call): Promise<Reply> {
	allow(call.user, 'sign-in-lock.read');
	return json(await limits.list(call.db.knex), 200, NO_STORE);
}

/** POST /api/sign-in-locks/unlock {"username"} or {"address"}: an admin unlocks an account or an address. */
export async function postUnlock(call: Call): Promise<Reply> {
	const user = allow(call.user, 'sign-in-lock.clear');
	const body = parseJsonObject(await call.body(UNLOCK_BODY_LIMIT), '{"username": "demo-grid"} or {"address": "10.0.0.7"}');
	const username = bodyOptionalText(body, 'username', 100);
	const address = bodyOptionalText(body, 'address', 100);
	if ((username === undefined) === (address === undefined)) fail(400, 'name either username or address to unlock, not both: {"username": "demo-grid"} or {"address": "10.0.0.7"}');
	const result = username !== undefined ? await limits.unlockAccount(call.db.knex, user, username) : await limits.unlockAddress(call.db.knex, user, address!);
	return json(result, 200, NO_STORE);
}
