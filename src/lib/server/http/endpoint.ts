/**
 * The one way to define an endpoint. An endpoint's logic is a Handler: a plain function from
 * a Call (who asks, what they ask) to a Reply (status, headers, body), living in the HTTP
 * module of its concept (http/<concept>.ts), which calls the concept's domain verbs. Its `+server.ts` under src/routes exports `endpoint(handler)`, which
 * is how SvelteKit serves it (`npm run dev` and `npm start` alike); the fast lane
 * (src/server/fast-lane.ts) calls the very same handler for the few hottest routes, before
 * the framework. Errors become answers here, the same way for both doors.
 */
import { gzip, gzipSync, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import type { RequestEvent } from '@sveltejs/kit';
import type { User } from '../accounts/user.js';
import type { Database } from '../platform/db.js';
import { appDatabase } from '../platform/app-database.js';
import { scopeFor, type Scope } from '../ownership/territory.js';
import { isOwnOrigin } from './public-origin.js';
import { ApiError, INTERNAL_ERROR, errorJson, fail, isApiError } from '../platform/errors.js';

/** What a handler knows of its request. */
export interface Call {
	db: Database;
	/** the signed-in user, or null */
	user: User | null;
	/** what the user may read (territory.ts) */
	scope: Scope;
	/** the request's method and path (not decoded) */
	method: string;
	path: string;
	/** path parameters, percent-decoded */
	params: Record<string, string>;
	query: URLSearchParams;
	/** scheme://host[:port] as the request names it (check it before echoing it: tiles.ts) */
	origin: string;
	/** whether the request came over HTTPS */
	secure: boolean;
	/** a request header by lower-case name, or null */
	header(name: string): string | null;
	/** the request body, at most `limit` bytes, else a 413 */
	body(limit: number): Promise<Uint8Array>;
	/** the caller's network address, for sign-in limits and rate limits: one rule for both doors (client-address.ts) */
	clientAddress: string;
}

/** What a handler answers. */
export interface Reply {
	status: number;
	headers?: Record<string, string>;
	/** text (JSON unless headers say otherwise) or bytes; none for 204 and 304 */
	body?: string | Uint8Array;
	/** the body is already gzip-compressed (tiles are cached that way): sent as is to clients that accept gzip */
	gzipped?: boolean;
	/** sent exactly as it is, never compressed: a byte range of a file must stay those bytes (offline-tiles.ts) */
	identity?: boolean;
	/** Set-Cookie values, each sent as a header of its own (a headers record holds one value per name) */
	cookies?: string[];
}

export type Handler = (call: Call) => Promise<Reply>;

export const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The policy of every answer that is data, not a page: it may load nothing and be framed by
 * no one. The host sets it on the endpoints' paths (src/server/security-headers.ts); refusals
 * made before a route carry it on any path.
 */
export const ENDPOINT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A value as JSON. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Reply {
	return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** JSON text PostgreSQL built, passed on unparsed. */
export function jsonText(text: string, status = 200, headers: Record<string, string> = {}): Reply {
	return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: text };
}

/** Errors a database in trouble raises: the caller should come back, not report a bug. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

export function isDatabaseUnavailable(error: unknown): boolean {
	const e = error as { code?: string; name?: string; message?: string } | null;
	if (!e) return false;
	return (
		(typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) ||
		e.name === 'KnexTimeoutError' ||
		/Connection terminated|connection is closed|Client has encountered a connection error/i.test(e.message ?? '')
	);
}

/**
 * What a thrown error tells the caller: its own status and message, a 503 for a database that
 * is down, else a bare 500. Shared by the JSON answer below and Open311's own error documents.
 */
export function asApiError(error: unknown): ApiError {
	if (isApiError(error)) return error;
	if (isDatabaseUnavailable(error)) return new ApiError(503, 'the database is not reachable; try again shortly', { 'Retry-After': '5' });
	// Never a stack trace, SQL or driver text in the answer; the log has them.
	console.error(error);
	return INTERNAL_ERROR;
}

/** The answer to a thrown error, as `{"message"}`. */
export function errorReply(error: unknown): Reply {
	const e = asApiError(error);
	return { status: e.status, headers: { ...e.headers, 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' }, body: errorJson(e) };
}

/**
 * Runs a handler; whatever it throws, or its set-up throws, becomes an answer — `{"message"}`
 * JSON, or the standard's own error document where one is due (OGC's exception under /ogc).
 */
export async function answer(handler: Handler, call: () => Promise<Call>, render: (error: unknown) => Reply = errorReply): Promise<Reply> {
	try {
		return await handler(await call());
	} catch (error) {
		return render(error);
	}
}

/** The answer for a path under /api or /tiles that names no endpoint: a JSON 404, not the HTML page. */
export async function noSuchEndpoint(call: Call): Promise<Reply> {
	fail(404, `no endpoint ${call.method} ${call.path}`);
}

/** Whether an Accept-Encoding header takes gzip. */
export function acceptsGzip(header: string | null | undefined): boolean {
	return /\bgzip\b/i.test(header ?? '');
}

/** Text bodies of at least this many bytes are gzipped: below it gzip costs more CPU than it saves (~0.2 ms to start a stream, more than an owner lookup). */
export const GZIP_THRESHOLD = 4096;

const gzipAsync = promisify(gzip);

/**
 * A reply as it goes on the wire, the same through both doors: a pre-gzipped body as it is
 * (decompressed for a client that takes no gzip), text of GZIP_THRESHOLD bytes or more
 * gzipped at level 1 (most of the saving for a fraction of the CPU), Content-Length set.
 */
export async function encode(
	reply: Reply,
	acceptEncoding: string | null | undefined
): Promise<{ status: number; headers: Record<string, string>; cookies: string[]; body?: Uint8Array }> {
	const headers: Record<string, string> = { ...reply.headers };
	const cookies = reply.cookies ?? [];
	if (reply.body === undefined) return { status: reply.status, headers, cookies };
	const gzipOk = acceptsGzip(acceptEncoding);
	let body: Uint8Array = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
	let gzipped = Boolean(reply.gzipped);
	// Every body may come compressed (above the threshold), so every answer with one varies by it.
	headers.Vary = headers.Vary ? `${headers.Vary}, Accept-Encoding` : 'Accept-Encoding';
	if (!reply.identity && (gzipped || body.byteLength >= GZIP_THRESHOLD)) {
		if (gzipped && !gzipOk) {
			body = gunzipSync(body);
			gzipped = false;
		} else if (!gzipped && gzipOk) {
			// In line for a small body: handing it to the thread pool costs more CPU than the
			// compression; a large one (a CSV export) there, so the event loop goes on meanwhile.
			body = body.byteLength < 65_536 ? gzipSync(body, { level: 1 }) : await gzipAsync(body, { level: 1 });
			gzipped = true;
		}
	}
	if (gzipped) headers['Content-Encoding'] = 'gzip';
	headers['Content-Length'] = String(body.byteLength);
	return { status: reply.status, headers, cookies, body };
}

/** Reads a web request body, refusing more than `limit` bytes with a 413 that says the limit. */
async function readWebBody(request: Request, limit: number): Promise<Uint8Array> {
	// The rest of the body is not read: the connection closes after the answer, so the client
	// does not send its next request on a socket still carrying this one's bytes.
	const tooLarge = () => fail(413, `the body is too large: at most ${limit} bytes`, { Connection: 'close' });
	const declared = Number(request.headers.get('content-length') ?? 0);
	if (declared > limit) tooLarge();
	if (!request.body) return new Uint8Array(0);
	const chunks: Uint8Array[] = [];
	let total = 0;
	const reader = request.body.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.byteLength;
			if (total > limit) {
				await reader.cancel().catch(() => {});
				tooLarge();
			}
			chunks.push(value);
		}
	} catch (error) {
		if (isApiError(error)) throw error;
		if ((error as { status?: number }).status === 413) tooLarge();
		fail(400, 'the body could not be read');
	}
	return Buffer.concat(chunks);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request that changes something must come from this site (issue 8): a browser names the
 * page's origin in `Origin` on every such request, and says `Sec-Fetch-Site: cross-site` when
 * another site sent it, whatever the content type — SvelteKit's own check covers form posts
 * only, not JSON or DELETE. Clients that are not browsers (scripts, desktop GIS) send neither
 * and cannot be made to carry a user's cookie by another site, so they pass.
 *
 * `Origin` is compared with the configuration (public-origin.ts: ORIGIN, else an allowed host
 * at the request's port), not with the origin the request's own Host header makes up: a
 * DNS-rebinding page sends a Host and an Origin that agree with each other.
 */
export function checkSameSite(method: string, header: (name: string) => string | null): void {
	if (SAFE_METHODS.has(method)) return;
	const from = header('origin');
	if (from !== null && !isOwnOrigin(from, header)) fail(403, `a ${method} from another site (${from.slice(0, 100)}) is refused`);
	const site = header('sec-fetch-site');
	if (site === 'cross-site' || (site === 'same-site' && from === null)) fail(403, `a ${method} from another site is refused`);
}

/**
 * A handler as a SvelteKit request handler: `export const GET = endpoint(areas.getSummary)`.
 * The handler stays reachable as `.handler`, so a test can prove the fast lane calls the same.
 */
export function endpoint(handler: Handler) {
	const serve = async (event: RequestEvent): Promise<Response> => {
		const reply = await answer(handler, async () => {
			const db = await appDatabase();
			const user = event.locals.user ?? null;
			return {
				db,
				user,
				scope: await scopeFor(db.knex, user),
				method: event.request.method,
				path: event.url.pathname,
				params: event.params as Record<string, string>,
				query: event.url.searchParams,
				origin: event.url.origin,
				secure: event.url.protocol === 'https:',
				header: (name: string) => event.request.headers.get(name),
				body: (limit: number) => readWebBody(event.request, limit),
				clientAddress: event.getClientAddress()
			};
		});
		const wire = await encode(reply, event.request.headers.get('accept-encoding'));
		const headers = new Headers(wire.headers);
		for (const cookie of wire.cookies) headers.append('Set-Cookie', cookie);
		return new Response(wire.body as BodyInit | undefined, { status: wire.status, headers });
	};
	return Object.assign(serve, { handler });
}
