/**
 * Headers every answer carries, set by the host before either door answers. Endpoints
 * (/api, /tiles, /ogc, /offline, /open311) may load nothing and be framed by no one; so may
 * the files of static/ (icons, the manifest): data, never a document that may run something
 * (an SVG opened on its own could). The app's files (/_app) get the policy of its pages —
 * only this server, plus blobs for the map — because MapLibre's worker runs under the policy
 * of its own script's answer and fetches the tiles from there; the service worker likewise
 * fetches pages and tiles from this server under its own answer's policy. Pages set their own
 * policy, with the hashes of their inline scripts (svelte.config.js); the host sets none for
 * them, or a 304 carrying the host's would replace the page's in the browser cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ENDPOINT_CSP } from '../lib/server/http/endpoint.js';

export { ENDPOINT_CSP };

/** The origin of an optional basemap (BASEMAP_TILES), which the map may fetch images from. */
function basemapOrigin(): string {
	try {
		return process.env.BASEMAP_TILES ? ` ${new URL(process.env.BASEMAP_TILES.replace(/[{}]/g, '')).origin}` : '';
	} catch {
		return '';
	}
}

const APP_CSP = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self' 'unsafe-inline'",
	`img-src 'self' data: blob:${basemapOrigin()}`,
	"font-src 'self' data:",
	`connect-src 'self'${basemapOrigin()}`,
	"worker-src 'self' blob:",
	"child-src 'self' blob:",
	"object-src 'none'",
	"base-uri 'self'",
	"form-action 'self'",
	"frame-ancestors 'none'"
].join('; ');

/** The endpoints' paths: every route that answers data, never a page. */
const ENDPOINT_PATH = /^\/(api|tiles|ogc|offline|open311)(\/|\?|$)/;

/** SvelteKit's name for the service worker it builds from src/service-worker.ts. */
const SERVICE_WORKER = '/service-worker.js';

/**
 * The URL paths of the files adapter-node serves from the build's client folder besides the
 * app's own (/_app): static/ and the service worker. Read once at start; a path not among
 * them is a page or an endpoint.
 */
export function builtFiles(clientDir: string): Set<string> {
	const files = new Set<string>();
	const walk = (dir: string, prefix: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const url = `${prefix}/${entry.name}`;
			if (entry.isDirectory()) {
				if (url !== '/_app') walk(path.join(dir, entry.name), url);
			} else files.add(url);
		}
	};
	if (fs.existsSync(clientDir)) walk(clientDir, '');
	return files;
}

export function securityHeaders(req: IncomingMessage, res: ServerResponse, files: ReadonlySet<string> = new Set()): void {
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Referrer-Policy', 'same-origin');
	res.setHeader('X-Frame-Options', 'DENY');
	res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
	const url = req.url ?? '';
	// /ogc's HTML pages replace this with their own policy (inline styles only, ogc.ts).
	if (ENDPOINT_PATH.test(url)) {
		res.setHeader('Content-Security-Policy', ENDPOINT_CSP);
		return;
	}
	const raw = url.split('?')[0];
	let file: string;
	try {
		file = decodeURIComponent(raw);
	} catch {
		file = raw;
	}
	if (url.startsWith('/_app/') || file === SERVICE_WORKER) res.setHeader('Content-Security-Policy', APP_CSP);
	else if (files.has(file)) res.setHeader('Content-Security-Policy', ENDPOINT_CSP);
}
