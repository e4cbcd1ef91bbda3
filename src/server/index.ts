/**
 * The HTTP server: the hot routes (tiles, owner, area panel; hot.ts) straight from Node's
 * HTTP server, then Express with compression and SvelteKit's handler for pages and every
 * other endpoint. The database is
 * opened, migrated and (when empty) given the sample before the port opens, so the first
 * request never waits on start-up work.
 */
import express from 'express';
import compression from 'compression';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initAppDatabase } from '../lib/server/app-database.js';
import http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { apiRouter } from './api.js';
import { GZIP_THRESHOLD, handleHot } from './hot.js';

/**
 * The header that tells SvelteKit the scheme this server really received the request on.
 * Without ORIGIN or PROTOCOL_HEADER, adapter-node assumes https, so the session cookie was
 * always Secure and a browser on a plain-HTTP intranet host (http://intranet-host:3000)
 * dropped it: every sign-in failed silently (issue 8). Behind a TLS proxy, set
 * PROTOCOL_HEADER=x-forwarded-proto (or ORIGIN) and this one is not used.
 */
const SCHEME_HEADER = 'x-wangge-scheme';

function ownSchemeHeader(): boolean {
	if (process.env.ORIGIN || process.env.PROTOCOL_HEADER) return false;
	process.env.PROTOCOL_HEADER = SCHEME_HEADER;
	return true;
}

/** The request listener: hot routes first (hot.ts), then Express with SvelteKit's handler. */
export async function createServer(): Promise<(req: http.IncomingMessage, res: http.ServerResponse) => void> {
	await initAppDatabase({ log: (m) => console.log(m) });
	// adapter-node reads PROTOCOL_HEADER when its handler loads: decide before importing it.
	const setScheme = ownSchemeHeader();
	const handlerPath = path.resolve(process.env.BUILD_DIR ?? 'build', 'handler.js');
	const { handler } = await import(pathToFileURL(handlerPath).href);
	const app = express();
	app.disable('x-powered-by');
	// No body-hash ETags on API answers (SvelteKit's never had them).
	app.set('etag', false);
	// JSON under 4 KB goes uncompressed: starting a gzip stream cost ~0.2 ms of CPU per
	// response, more than an owner lookup's SQL, to save a few hundred bytes.
	app.use(compression({ threshold: GZIP_THRESHOLD }));
	app.use(apiRouter());
	app.use(handler);
	// Last resort: log the error, answer without stack, SQL or driver text.
	app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
		console.error(error);
		if (!res.headersSent) res.status(500).json({ message: 'Internal error' });
	});
	return (req, res) => {
		// Always overwritten, so a client cannot claim a scheme of its choice.
		if (setScheme) req.headers[SCHEME_HEADER] = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
		if (!handleHot(req, res)) app(req, res);
	};
}

export async function main() {
	const started = Date.now();
	const listener = await createServer();
	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? '0.0.0.0';
	const server = http.createServer(listener).listen(port, host, () => {
		console.log(`网格治理一张图 listening on http://localhost:${port} (ready in ${Date.now() - started} ms)`);
	});
	const stop = () => server.close(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	main().catch((error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
