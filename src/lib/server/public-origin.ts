/**
 * The origin this server names in absolute URLs it hands out (TileJSON's tile URLs, links):
 * ORIGIN when configured, else the request's own origin when its host is one this server
 * answers for. A raw Host header is never echoed: a forged one could send a map's tiles to
 * another host. ALLOWED_HOSTS (comma-separated names or addresses, any port) lists the
 * hosts; by default this machine's names and addresses.
 */
import os from 'node:os';
import { fail } from './errors.js';

function defaultHosts(): Set<string> {
	const hosts = new Set(['localhost', '127.0.0.1', '[::1]', os.hostname().toLowerCase()]);
	for (const addresses of Object.values(os.networkInterfaces())) {
		for (const a of addresses ?? []) hosts.add(a.family === 'IPv6' ? `[${a.address.toLowerCase()}]` : a.address);
	}
	return hosts;
}

let allowed: Set<string> | null = null;
function allowedHosts(): Set<string> {
	if (allowed) return allowed;
	const configured = (process.env.ALLOWED_HOSTS ?? '')
		.split(',')
		.map((h) => h.trim().toLowerCase())
		.filter(Boolean);
	allowed = configured.length ? new Set(configured) : defaultHosts();
	return allowed;
}

/** The host of an origin without its port: `[::1]`, `127.0.0.1`, `gis.example`. */
function hostOf(origin: URL): string {
	return origin.hostname.toLowerCase();
}

/** scheme://host[:port] for absolute URLs in an answer to a request from `requestOrigin`. */
export function publicOrigin(requestOrigin: string): string {
	if (process.env.ORIGIN) return process.env.ORIGIN.replace(/\/+$/, '');
	let url: URL;
	try {
		url = new URL(requestOrigin);
	} catch {
		fail(400, 'the Host header does not name a host');
	}
	if (!allowedHosts().has(hostOf(url))) {
		fail(400, `host '${url.hostname}' is not one this server answers for; set ORIGIN or ALLOWED_HOSTS`);
	}
	return url.origin;
}
