/**
 * The fast lane: the requests the map makes most — tiles, owner(point), the area panel —
 * answered straight from Node's HTTP server, before Express and SvelteKit. Each costs well
 * under a millisecond of SQL, and on the 2-core machines this runs on, Express's middleware
 * and SvelteKit's Request/Response conversion cost more CPU than the query (issues 3 and 4
 * measured it).
 *
 * It is only a table. Each entry names a route exactly as src/routes names it, and the very
 * handler its +server.ts exports; a test walks the table and proves both doors give the
 * same status, headers and bytes (tests/e2e/fast-lane.test.ts). Everything else — pages,
 * writes, other endpoints — goes on to Express and SvelteKit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appDatabase } from '../lib/server/platform/app-database.js';
import { scopeFor } from '../lib/server/ownership/territory.js';
import { readCaller } from '../lib/server/http/session.js';
import { answer, encode, errorReply, type Handler, type Reply } from '../lib/server/http/endpoint.js';
import { ApiError } from '../lib/server/platform/errors.js';
import { CLIENT_ADDRESS_HEADER } from '../lib/server/http/client-address.js';
import * as tiles from '../lib/server/http/tiles.js';
import * as ownership from '../lib/server/http/ownership.js';
import * as areas from '../lib/server/http/areas.js';
import * as ogc from '../lib/server/http/ogc.js';

export interface FastRoute {
	method: 'GET';
	/** the route as SvelteKit names it: the folder of its +server.ts under src/routes */
	route: string;
	handler: Handler;
}

export const FAST_LANE: FastRoute[] = [
	{ method: 'GET', route: '/tiles/[layer]/[z]/[x]/[y].pbf', handler: tiles.getTile },
	{ method: 'GET', route: '/tiles/[layer].json', handler: tiles.getTileJson },
	{ method: 'GET', route: '/api/owner', handler: ownership.getOwner },
	{ method: 'GET', route: '/api/areas/at', handler: areas.getAreaAt },
	{ method: 'GET', route: '/api/areas/[level]/[code]', handler: areas.getSummary },
	{ method: 'GET', route: '/api/areas/[level]/[code]/issues', handler: areas.getIssues },
	// A desktop GIS pages through whole layers: the framework cost twice the page's own CPU (issue 12's bench).
	{ method: 'GET', route: '/ogc/collections/[collectionId]/items', handler: ogc.getItems }
];

interface Compiled {
	route: FastRoute;
	pattern: RegExp;
	names: string[];
}

/** A route as a pattern over the raw path: `[name]` takes one segment, the rest is literal. */
function compile(route: FastRoute): Compiled {
	const names: string[] = [];
	const source = route.route
		.split(/(\[\w+\])/)
		.map((part) => {
			const param = /^\[(\w+)\]$/.exec(part);
			if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			names.push(param[1]);
			return '([^/]+)';
		})
		.join('');
	return { route, pattern: new RegExp(`^${source}$`), names };
}

const COMPILED = FAST_LANE.map(compile);

/** The scheme the request came on: the host sets it (index.ts), else the socket says. */
function scheme(req: IncomingMessage, header: string | null): 'http' | 'https' {
	const told = header ? req.headers[header] : undefined;
	if (told === 'https' || told === 'http') return told;
	return (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
}

/**
 * Answers the request when it is a fast-lane route and returns true; returns false (having
 * touched nothing) for every other request. `schemeHeader` is the header the host sets to
 * the real scheme.
 */
export function fastLane(req: IncomingMessage, res: ServerResponse, schemeHeader: string | null): boolean {
	if (req.method !== 'GET' && req.method !== 'HEAD') return false;
	const url = req.url ?? '/';
	const q = url.indexOf('?');
	const path = q < 0 ? url : url.slice(0, q);
	for (const { route, pattern, names } of COMPILED) {
		const m = pattern.exec(path);
		if (!m) continue;
		void respond(req, res, route.handler, path, names, m.slice(1), q < 0 ? '' : url.slice(q + 1), scheme(req, schemeHeader));
		return true;
	}
	return false;
}

async function respond(
	req: IncomingMessage,
	res: ServerResponse,
	handler: Handler,
	path: string,
	names: string[],
	raw: string[],
	search: string,
	proto: 'http' | 'https'
): Promise<void> {
	const header = (name: string) => {
		const value = req.headers[name];
		return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
	};
	const reply = await answer(
		handler,
		async () => {
			const params: Record<string, string> = {};
			try {
				names.forEach((name, i) => (params[name] = decodeURIComponent(raw[i])));
			} catch {
				throw new ApiError(400, 'the path is not valid percent-encoding');
			}
			const db = await appDatabase();
			const user = await readCaller(db, req.method ?? 'GET', header);
			return {
				db,
				user,
				scope: await scopeFor(db.knex, user),
				method: req.method ?? 'GET',
				path,
				params,
				query: new URLSearchParams(search),
				origin: `${proto}://${header('host') ?? 'localhost'}`,
				secure: proto === 'https',
				header,
				body: () => Promise.resolve(new Uint8Array(0)),
				// The host wrote it by the one rule SvelteKit's getClientAddress() reads too (client-address.ts).
				clientAddress: header(CLIENT_ADDRESS_HEADER) ?? req.socket.remoteAddress ?? ''
			};
		},
		// A caller refused before the handler (a bad bearer token) hears it as the route's standard says.
		ogc.isOgcPath(path) ? ogc.exception : undefined
	);
	try {
		await send(req, res, reply);
	} catch (error) {
		const fallback = errorReply(error);
		if (!res.headersSent) res.writeHead(fallback.status, fallback.headers).end(fallback.body);
		else res.destroy();
	}
}

/** Sends a reply as endpoint.ts encodes it for SvelteKit; HEAD without a body. */
async function send(req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<void> {
	const wire = await encode(reply, req.headers['accept-encoding'] as string | undefined);
	res.writeHead(wire.status, wire.cookies.length ? { ...wire.headers, 'Set-Cookie': wire.cookies } : wire.headers);
	res.end(req.method === 'HEAD' ? undefined : wire.body);
}
