/**
 * The caller's network address, for sign-in limits and rate limits: the one rule both doors
 * of the server use. It is adapter-node's own (ADDRESS_HEADER, XFF_DEPTH): without
 * ADDRESS_HEADER the address is the TCP peer's; with it, the address is what the named header
 * says, and for X-Forwarded-For the entry XFF_DEPTH from the right (the one the nearest
 * trusted proxy wrote — entries further left are whatever the client sent, and can be forged).
 *
 * The host (src/server/index.ts) applies this rule once per request and hands the answer to
 * SvelteKit as adapter-node's ADDRESS_HEADER (CLIENT_ADDRESS_HEADER below) and to the fast
 * lane, so `event.getClientAddress()` and the fast lane cannot disagree.
 *
 * Where adapter-node throws (the configured header missing, fewer X-Forwarded-For entries
 * than XFF_DEPTH) this falls back to the TCP peer: such a request did not come through the
 * configured proxies, and the peer is the one address it cannot forge.
 */

/** The header the host writes the client address into, always overwriting what a client sent. */
export const CLIENT_ADDRESS_HEADER = 'x-wangge-client-address';

export interface AddressRule {
	/** the lower-case header name that carries the client's address, or null: the TCP peer */
	header: string | null;
	/** for X-Forwarded-For: which entry from the right, 1 for one proxy */
	depth: number;
}

/** The rule the environment configures; a 0 or non-number XFF_DEPTH stops the start with a message. */
export function addressRule(env: Record<string, string | undefined> = process.env): AddressRule {
	const header = (env.ADDRESS_HEADER ?? '').trim().toLowerCase() || null;
	const rawDepth = (env.XFF_DEPTH ?? '1').trim();
	if (!/^[1-9][0-9]{0,2}$/.test(rawDepth)) throw new Error(`XFF_DEPTH must be a whole number from 1 (the number of proxies in front of the app), got '${rawDepth.slice(0, 20)}'`);
	if (header === CLIENT_ADDRESS_HEADER) throw new Error(`ADDRESS_HEADER=${CLIENT_ADDRESS_HEADER} names the app's own internal header; name the header your proxy sets (x-forwarded-for)`);
	return { header, depth: Number(rawDepth) };
}

type Headers = Record<string, string | string[] | undefined>;

/** Headers a proxy adds: their presence without ADDRESS_HEADER means every client looks like the proxy. */
const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/** One warning per process is enough to be read; a log line per request would bury everything else. */
let warned = false;

/** A single value of a header (Node joins repeated X-Forwarded-For lines with ", "). */
function headerValue(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** The longest address kept: an IPv6 address with a zone fits; a header of junk is cut, not stored whole. */
const MAX_ADDRESS = 100;

/**
 * The client address of a request under `rule`. `peer` is the socket's remote address.
 * Logs one warning per process when a request carries a proxy's header but no ADDRESS_HEADER
 * is configured: every client is then counted as the proxy's address, so one stranger's
 * failed sign-ins would slow everyone else's who has no device cookie yet.
 */
export function clientAddress(rule: AddressRule, headers: Headers, peer: string | undefined, warn: (message: string) => void = console.warn): string {
	const fallback = (peer ?? '').slice(0, MAX_ADDRESS);
	if (rule.header === null) {
		if (!warned) {
			const seen = PROXY_HEADERS.find((name) => headers[name] !== undefined);
			if (seen) {
				warned = true;
				warn(
					`warning: requests arrive through a proxy (they carry ${seen}) but ADDRESS_HEADER is not set, so every client is counted as the proxy's address ${fallback || '(unknown)'} ` +
						`for sign-in limits and rate limits: one client's failed sign-ins slow everyone else's. Set ADDRESS_HEADER=x-forwarded-for (and XFF_DEPTH to the number of proxies); see README, Configuration.`
				);
			}
		}
		return fallback;
	}
	const value = headerValue(headers, rule.header);
	if (value === undefined) return fallback;
	if (rule.header !== 'x-forwarded-for') return value.trim().slice(0, MAX_ADDRESS) || fallback;
	const entries = value.split(',');
	if (rule.depth > entries.length) return fallback;
	return entries[entries.length - rule.depth].trim().slice(0, MAX_ADDRESS) || fallback;
}

/** Forgets that the warning was given (tests). */
export function resetProxyWarning(): void {
	warned = false;
}
