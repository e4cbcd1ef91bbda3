/**
 * Which hosts this server answers for, and the origin it names in absolute URLs.
 *
 * Every request's Host is checked here before either door answers (src/server/index.ts
 * under `npm start`, hooks.server.ts under `vite dev`). A DNS-rebinding page points its own
 * name at this server's intranet address, so an intranet user's browser sends the page's
 * requests here and lets the page read the answers as its own; but the browser names the
 * page's host in Host, so refusing hosts not on the list closes that door.
 *
 * The list: the host of ORIGIN and the names in ALLOWED_HOSTS (comma-separated names or
 * addresses, any port); when neither is set, this machine's names and addresses. Loopback
 * names always: a rebinding page cannot make a browser send them, and a load balancer's
 * health check on 127.0.0.1 must pass.
 *
 * Absolute URLs (TileJSON's tile URLs, OGC links) use ORIGIN when set, else the request's own
 * origin, whose host is on the list. A raw Host header is never echoed unchecked.
 */
import os from 'node:os';
import { fail } from '../platform/errors.js';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The host name in a Host header or a configured name (`gis.example:3000`, `[::1]`, `::1`):
 * lower case, without port or trailing dot, IPv6 in brackets; null for anything else (a path,
 * a user name: `evil.example@127.0.0.1` names evil.example to some readers and 127.0.0.1 to others).
 */
export function hostName(value: string): string | null {
	let text = value.trim();
	// A bare IPv6 address, as one may write it in ALLOWED_HOSTS, has colons a URL reads as a port.
	if (/^[0-9a-f:.]+$/i.test(text) && text.split(':').length > 2) text = `[${text}]`;
	let url: URL;
	try {
		url = new URL(`http://${text}`);
	} catch {
		return null;
	}
	if (!url.hostname || url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
	return url.hostname.toLowerCase().replace(/\.$/, '');
}

/** ORIGIN as a browser writes an Origin header (scheme, host and port only), or null when unset. */
function configuredOrigin(): string | null {
	const raw = process.env.ORIGIN?.trim();
	if (!raw) return null;
	try {
		return new URL(raw).origin;
	} catch {
		return raw.replace(/\/+$/, '');
	}
}

function machineHosts(): string[] {
	const hosts = [os.hostname().toLowerCase()];
	for (const addresses of Object.values(os.networkInterfaces())) {
		for (const a of addresses ?? []) hosts.push(a.family === 'IPv6' ? `[${a.address.toLowerCase()}]` : a.address);
	}
	return hosts;
}

interface HostList {
	hosts: Set<string>;
	/** whether the list is this machine's (nothing configured) */
	machine: boolean;
}

let list: HostList | null = null;
function hostList(): HostList {
	if (list) return list;
	const configured = (process.env.ALLOWED_HOSTS ?? '')
		.split(',')
		.map((h) => h.trim())
		.filter(Boolean)
		.map((h) => {
			const name = hostName(h);
			if (name === null) console.warn(`ALLOWED_HOSTS: '${h}' is not a host name or address; ignored`);
			return name;
		})
		.filter((h): h is string => h !== null);
	const origin = configuredOrigin();
	if (origin) {
		try {
			configured.push(new URL(origin).hostname.toLowerCase());
		} catch {
			console.warn(`ORIGIN '${origin}' is not a URL; its host is not answered for`);
		}
	}
	const machine = !origin && configured.length === 0;
	list = { hosts: new Set([...LOOPBACK, ...(machine ? machineHosts() : configured)]), machine };
	return list;
}

export function isAllowedHost(host: string): boolean {
	return hostList().hosts.has(host);
}

/**
 * The refusal of a host this server does not answer for. 421 Misdirected Request rather than
 * 400: the request is well formed, it was sent to a server that is not authoritative for the
 * host it names (RFC 9110, 15.5.20) — which is what a rebinding page's request is.
 */
function refuseHost(host: string): never {
	fail(421, `host '${host.slice(0, 100)}' is not one this server answers for; add it to ALLOWED_HOSTS (comma-separated) or set ORIGIN`);
}

/**
 * The headers that name the host of a request: Host, and the one adapter-node reads instead
 * when HOST_HEADER names one (behind a proxy that passes the browser's host there) and ORIGIN
 * does not fix the origin.
 */
function hostHeaders(): string[] {
	const forwarded = process.env.HOST_HEADER?.trim().toLowerCase();
	return forwarded && forwarded !== 'host' && !process.env.ORIGIN ? [forwarded, 'host'] : ['host'];
}

/** The host and port the request was sent to, as its headers name them (`gis.example:3000`), or null. */
export function requestHost(header: (name: string) => string | null): string | null {
	for (const name of hostHeaders()) {
		const value = header(name);
		if (value) return value;
	}
	return null;
}

/**
 * Refuses a request naming a host this server does not answer for: 421, or 400 for a header
 * that names no host. A request naming none passes: no browser sends one without a Host (an
 * HTTP/1.0 health probe may).
 */
export function checkHost(header: (name: string) => string | null): void {
	for (const name of hostHeaders()) {
		const value = header(name);
		if (value === null || value === '') continue;
		const host = hostName(value);
		if (host === null) fail(400, `the ${name} header does not name a host`);
		if (!isAllowedHost(host)) refuseHost(host);
	}
}

/**
 * Whether a browser's Origin header names this server. With ORIGIN set it must be ORIGIN;
 * otherwise its host must be one this server answers for and its port the one the request
 * was sent to (the Host header's, which is the browser's own view of it, behind a proxy too).
 */
export function isOwnOrigin(origin: string, header: (name: string) => string | null): boolean {
	const configured = configuredOrigin();
	if (configured) return origin === configured;
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		return false;
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin || !isAllowedHost(url.hostname.toLowerCase())) return false;
	const host = requestHost(header);
	if (host === null) return false;
	try {
		// Read with the Origin's scheme, so a host with its default port written out and one without it agree.
		return new URL(`${url.protocol}//${host}`).port === url.port;
	} catch {
		return false;
	}
}

/** What the server answers for, for its start-up log. */
export function describeAllowedHosts(): string {
	const { hosts, machine } = hostList();
	const names = [...hosts].join(', ');
	return machine
		? `answering for this machine's names and addresses (${names}); set ALLOWED_HOSTS or ORIGIN to be reached by another name`
		: `answering for the hosts ${names} (ORIGIN, ALLOWED_HOSTS and loopback)`;
}

/** scheme://host[:port] for absolute URLs in an answer to a request from `requestOrigin`. */
export function publicOrigin(requestOrigin: string): string {
	const configured = configuredOrigin();
	if (configured) return configured;
	let url: URL;
	try {
		url = new URL(requestOrigin);
	} catch {
		fail(400, 'the Host header does not name a host');
	}
	// Checked before either door answered; checked again here, as this echoes the host.
	if (!isAllowedHost(url.hostname.toLowerCase())) refuseHost(url.hostname);
	return url.origin;
}
