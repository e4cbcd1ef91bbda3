/**
 * The HTTP server: Express with compression, the tile and hot API routers, then SvelteKit's
 * handler for pages and every other endpoint. The database is
 * opened, migrated and (when empty) given the sample before the port opens, so the first
 * request never waits on start-up work.
 */
import express from 'express';
import compression from 'compression';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initAppDatabase } from '../lib/server/app-database.js';
import { tileRouter, TILE_CONTENT_TYPE } from './tiles.js';
import { apiRouter } from './api.js';

export async function createServer() {
	await initAppDatabase({ log: (m) => console.log(m) });
	const handlerPath = path.resolve(process.env.BUILD_DIR ?? 'build', 'handler.js');
	const { handler } = await import(pathToFileURL(handlerPath).href);
	const app = express();
	app.disable('x-powered-by');
	// No body-hash ETags on API answers (SvelteKit's never had them); tiles set their own.
	app.set('etag', false);
	// Vector tiles are not in compression's list of compressible types, but gzip halves them.
	// Level 1: tiles are rendered per request on a small machine, and level 1 keeps most of
	// the saving for a fraction of level 6's CPU.
	app.use(
		'/tiles',
		compression({
			level: 1,
			filter: (req, res) => String(res.getHeader('Content-Type') ?? '').startsWith(TILE_CONTENT_TYPE) || compression.filter(req, res)
		})
	);
	app.use(tileRouter());
	// JSON under 4 KB goes uncompressed: starting a gzip stream cost ~0.2 ms of CPU per
	// response, more than an owner lookup's SQL, to save a few hundred bytes.
	app.use(compression({ threshold: 4096 }));
	app.use(apiRouter());
	app.use(handler);
	// Last resort: log the error, answer without stack, SQL or driver text.
	app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
		console.error(error);
		if (!res.headersSent) res.status(500).json({ message: 'Internal error' });
	});
	return app;
}

export async function main() {
	const started = Date.now();
	const app = await createServer();
	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? '0.0.0.0';
	const server = app.listen(port, host, () => {
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
