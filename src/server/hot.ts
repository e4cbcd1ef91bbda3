/**
 * The requests the map makes most — tiles, owner(point), the area panel — answered straight
 * from Node's HTTP server, before Express and SvelteKit see them. Each takes well under a
 * millisecond of SQL, and on the 2-core machines this runs on, Express's middleware chain
 * and SvelteKit's Request/Response conversion cost more CPU than the query (the bench of
 * issues 3 and 4 measured it). Everything else — pages, writes, other endpoints — goes on
 * to Express. Parameter checks throw SvelteKit's HttpError (the helpers shared with the
 * SvelteKit routes), which becomes the same `{message}` 4xx here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { isHttpError } from '@sveltejs/kit';
import { appDatabase } from '../lib/server/app-database.js';
import { scopeFor } from '../lib/server/territory.js';
import { requestUser } from './session.js';
import { areaAtPoint, areaIssues, areaSummary, ownerAtPoint } from './api.js';
import { tile, tileJsonOf } from './tiles.js';
import { json, type Context, type Reply } from './reply.js';

type Route = (ctx: Context, req: IncomingMessage) => Promise<Reply>;

const gzipAsync = promisify(gzip);

/** A JSON body under this many bytes goes uncompressed: starting gzip costs more than it saves. */
export const GZIP_THRESHOLD = 4096;

function acceptsGzip(req: IncomingMessage): boolean {
	return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

async function send(req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<void> {
	const headers: Record<string, string | number> = { ...reply.headers };
	let body = reply.body === undefined ? undefined : typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
	if (typeof reply.body === 'string') headers['Content-Type'] ??= 'application/json; charset=utf-8';
	if (body && body.length >= (reply.gzipLevel !== undefined ? 1024 : GZIP_THRESHOLD)) {
		headers.Vary = headers.Vary ? `${headers.Vary}, Accept-Encoding` : 'Accept-Encoding';
		if (acceptsGzip(req)) {
			body = await gzipAsync(body, { level: reply.gzipLevel ?? 1 });
			headers['Content-Encoding'] = 'gzip';
		}
	}
	if (body) headers['Content-Length'] = body.length;
	res.writeHead(reply.status, headers);
	res.end(body);
}

/** Path segments of a request, percent-decoded; null when one does not decode. */
function segments(path: string): string[] | null {
	try {
		return path.split('/').slice(1).map(decodeURIComponent);
	} catch {
		return null;
	}
}

/** The route for a GET path, with its parameters; null when the path is not a hot one. */
function match(parts: string[]): { route: Route; params: Record<string, string> } | null {
	const [a, b, c, d, e] = parts;
	if (a === 'tiles') {
		if (parts.length === 2) return { route: tileJsonOf, params: { file: b } };
		if (parts.length === 5) return { route: tile, params: { layer: b, z: c, x: d, file: e } };
		return null;
	}
	if (a !== 'api') return null;
	if (b === 'owner' && parts.length === 2) return { route: ownerAtPoint, params: {} };
	if (b !== 'areas') return null;
	if (c === 'at' && parts.length === 3) return { route: areaAtPoint, params: {} };
	if (parts.length === 4) return { route: areaSummary, params: { level: c, code: d } };
	if (parts.length === 5 && e === 'issues') return { route: areaIssues, params: { level: c, code: d } };
	return null;
}

/**
 * Answers the request when it is one of the hot routes and returns true; returns false
 * (having touched nothing) for every other request.
 */
export function handleHot(req: IncomingMessage, res: ServerResponse): boolean {
	if (req.method !== 'GET' && req.method !== 'HEAD') return false;
	const url = req.url ?? '/';
	const q = url.indexOf('?');
	const parts = segments(q < 0 ? url : url.slice(0, q));
	const found = parts && match(parts);
	if (!found) return false;
	void answer(req, res, found.route, found.params, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
	return true;
}

async function answer(req: IncomingMessage, res: ServerResponse, route: Route, params: Record<string, string>, query: URLSearchParams) {
	let reply: Reply;
	try {
		const db = await appDatabase();
		const user = await requestUser(db.knex, req);
		reply = await route({ db, user, scope: await scopeFor(db.knex, user), params, query }, req);
	} catch (error) {
		if (isHttpError(error)) reply = json(error.body, error.status);
		else {
			// Never a stack trace, SQL or driver text in the answer; the log has it.
			console.error(error);
			reply = json({ message: 'Internal error' }, 500);
		}
	}
	try {
		await send(req, res, reply);
	} catch (error) {
		console.error(error);
		if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"message":"Internal error"}');
		else res.destroy();
	}
}
