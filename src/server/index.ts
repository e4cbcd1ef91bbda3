/**
 * The HTTP server. Express is the host the app is mounted in: security headers, the Host
 * check (a 421 for a host this server does not answer for), compression,
 * a JSON 400 for paths that are not valid percent-encoding, and SvelteKit's handler, which
 * serves every page and every endpoint of src/routes. In front of it the fast lane
 * (fast-lane.ts) answers the hottest routes by calling the same handlers directly. No
 * endpoint is defined here. The database is opened, migrated and (when empty) given the
 * sample before the port opens, so the first request never waits on start-up work.
 */
import express from 'express';
import compression from 'compression';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { initAppDatabase } from '../lib/server/platform/app-database.js';
import { loadSampleIfEmpty } from '../../db/seeds/sample.js';
import { ENDPOINT_CSP, errorReply, GZIP_THRESHOLD, type Reply } from '../lib/server/http/endpoint.js';
import { ApiError } from '../lib/server/platform/errors.js';
import * as ogc from '../lib/server/http/ogc.js';
import { checkHost, describeAllowedHosts } from '../lib/server/http/public-origin.js';
import { addressRule, clientAddress, CLIENT_ADDRESS_HEADER, type AddressRule } from '../lib/server/http/client-address.js';
import { fastLane } from './fast-lane.js';
import { builtFiles, securityHeaders } from './security-headers.js';
import { errorBody } from '../lib/api-error.js';

/**
 * The header that tells SvelteKit the scheme this server really received the request on.
 * Without ORIGIN or PROTOCOL_HEADER, adapter-node assumes https, so the session cookie was
 * always Secure and a browser on a plain-HTTP intranet host name (port 3000, no TLS)
 * dropped it: every sign-in failed silently (issue 8). Behind a TLS proxy, set
 * PROTOCOL_HEADER=x-forwarded-proto (or ORIGIN) and this one is not used.
 */
const SCHEME_HEADER = 'x-wangge-scheme';

/**
 * adapter-node reads its settings from the environment when its handler loads. The scheme
 * header is ours unless ORIGIN or PROTOCOL_HEADER is set; its body limit is lifted (default
 * 512 KB), because each endpoint enforces its own (endpoint.ts: 413 naming the limit).
 */
function configureAdapter(): string | null {
	process.env.BODY_SIZE_LIMIT ??= 'Infinity';
	if (process.env.ORIGIN || process.env.PROTOCOL_HEADER) return null;
	process.env.PROTOCOL_HEADER = SCHEME_HEADER;
	return SCHEME_HEADER;
}

/** The address rule ADDRESS_HEADER and XFF_DEPTH configured, read before configureAddress replaces them. */
let configuredRule: AddressRule | undefined;

/**
 * The client address follows one rule for both doors (client-address.ts): the listener applies
 * the configured ADDRESS_HEADER / XFF_DEPTH and writes the answer into CLIENT_ADDRESS_HEADER,
 * and adapter-node is told to read exactly that header, so `event.getClientAddress()` and the
 * fast lane see the same address. Read once per process: a second server in the same process
 * (tests) finds ADDRESS_HEADER already pointing at the internal header.
 */
function configureAddress(): AddressRule {
	configuredRule ??= addressRule(process.env);
	process.env.ADDRESS_HEADER = CLIENT_ADDRESS_HEADER;
	return configuredRule;
}

export interface ServerOptions {
	/** false: every request goes through Express and SvelteKit (the fast-lane test's second door) */
	fastLane?: boolean;
}

/**
 * The request listener: the Host checked (public-origin.ts: a DNS-rebinding page's requests
 * name its own host), then the fast lane, then Express with SvelteKit's handler.
 */
export async function createServer(opts: ServerOptions = {}): Promise<(req: http.IncomingMessage, res: http.ServerResponse) => void> {
	await initAppDatabase({ log: (m) => console.log(m), loadSampleIfEmpty });
	const schemeHeader = configureAdapter();
	const addresses = configureAddress();
	const buildDir = path.resolve(process.env.BUILD_DIR ?? 'build');
	const handlerPath = path.join(buildDir, 'handler.js');
	const { handler } = await import(pathToFileURL(handlerPath).href);
	const files = builtFiles(path.join(buildDir, 'client'));
	const app = express();
	app.disable('x-powered-by');
	// No body-hash ETags on API answers (SvelteKit's never had them).
	app.set('etag', false);
	app.use(rejectMalformedPaths);
	// Pages and their assets; endpoints compress their own answers (endpoint.ts), which this
	// leaves alone.
	app.use(compression({ level: 1, threshold: GZIP_THRESHOLD }));
	app.use(handler);
	// Last resort: log the error, answer without stack, SQL or driver text.
	app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
		if (!res.headersSent) sendRefusal(res, errorReply(error));
	});
	const useFastLane = opts.fastLane ?? process.env.FAST_LANE !== 'off';
	return (req, res) => {
		// Always overwritten, so a client cannot claim a scheme of its choice.
		if (schemeHeader) req.headers[schemeHeader] = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
		// Always overwritten too, so a client cannot name its own address.
		req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(addresses, req.headers, req.socket.remoteAddress);
		securityHeaders(req, res, files);
		try {
			checkHost((name) => {
				const value = req.headers[name];
				return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
			});
		} catch (error) {
			sendRefusal(res, errorReply(error));
			return;
		}
		if (!useFastLane || !fastLane(req, res, schemeHeader)) app(req, res);
	};
}

/** A JSON refusal made by the host, on any path: it loads nothing (a page path sets no policy of its own here). */
function sendRefusal(res: http.ServerResponse, reply: Reply): void {
	const body = reply.body ?? '';
	res.writeHead(reply.status, { ...reply.headers, 'Content-Security-Policy': ENDPOINT_CSP, 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/** A path that does not decode is the caller's mistake: a JSON 400, before SvelteKit's plain-text one. */
function rejectMalformedPaths(req: express.Request, res: express.Response, next: express.NextFunction) {
	const raw = req.url.split('?')[0];
	try {
		decodeURIComponent(raw);
	} catch {
		const error = new ApiError(400, 'the path is not valid percent-encoding');
		// A GIS client reads OGC's exception JSON under /ogc.
		sendRefusal(res, ogc.isOgcPath(raw) ? ogc.exception(error) : errorReply(error));
		return;
	}
	next();
}

/**
 * A request Node cannot parse (a NUL or other forbidden byte in a header, a malformed request
 * line) never reaches a handler: answer it in JSON too, then close.
 */
function answerClientError(error: NodeJS.ErrnoException & { code?: string }, socket: Duplex): void {
	if (!socket.writable) {
		socket.destroy();
		return;
	}
	const body = JSON.stringify(errorBody(`the request could not be read (${error.code ?? 'bad request'})`));
	socket.end(
		`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Security-Policy: ${ENDPOINT_CSP}\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
	);
}

export async function main() {
	const started = Date.now();
	const listener = await createServer();
	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? '0.0.0.0';
	const server = http.createServer(listener);
	server.on('clientError', answerClientError);
	// A port already taken is a plain one-line failure, not an unhandled error event.
	server.once('error', (error: NodeJS.ErrnoException) => {
		console.error(error.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use: set PORT to a free one` : error.message);
		process.exit(1);
	});
	server.listen(port, host, () => {
		// The port actually bound: PORT=0 lets the system choose one, which the tests read here.
		const bound = (server.address() as AddressInfo).port;
		console.log(`网格治理一张图 listening on http://localhost:${bound} (ready in ${Date.now() - started} ms)`);
		// Reached by a name not on the list, the app answers 421: say which names are.
		console.log(`Host check: ${describeAllowedHosts()}`);
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
