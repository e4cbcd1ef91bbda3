/**
 * Headers every answer carries, set by the host before either door answers. Endpoints
 * (/api, /tiles, /offline) may load nothing and be framed by no one. The app's files (/_app) get the
 * policy of its pages — only this server, plus blobs for the map — because MapLibre's worker
 * runs under the policy of its own script's answer and fetches the tiles from there. Pages
 * set their own policy, with the hashes of their inline scripts (svelte.config.js); the host
 * sets none for them, or a 304 carrying the host's would replace the page's in the browser
 * cache and block those scripts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const ENDPOINT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

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

export function securityHeaders(req: IncomingMessage, res: ServerResponse): void {
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Referrer-Policy', 'same-origin');
	res.setHeader('X-Frame-Options', 'DENY');
	res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
	const url = req.url ?? '';
	// /ogc's HTML pages replace this with their own policy (inline styles only, ogc.ts).
	if (/^\/(api|tiles|ogc|offline)(\/|\?|$)/.test(url)) res.setHeader('Content-Security-Policy', ENDPOINT_CSP);
	else if (url.startsWith('/_app/')) res.setHeader('Content-Security-Policy', APP_CSP);
}
