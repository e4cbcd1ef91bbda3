import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase, initAppDatabase } from '$lib/server/platform/app-database';
import { loadSampleIfEmpty } from '../db/seeds/sample';
import { readCaller } from '$lib/server/http/session';
import { asApiError, checkSameSite, ENDPOINT_CSP, errorReply, isDatabaseUnavailable, type Reply } from '$lib/server/http/endpoint';
import { ApiError, errorJson, isApiError } from '$lib/server/platform/errors';
import { checkHost } from '$lib/server/http/public-origin';
import { unavailablePage } from '$lib/server/http/unavailable-page';
import * as open311 from '$lib/server/http/open311';
import * as ogc from '$lib/server/http/ogc';

// Under the Node server the database is already open; under `vite dev` this opens it.
export const init: ServerInit = async () => {
	await initAppDatabase({ log: (m) => console.log(m), loadSampleIfEmpty });
};

/**
 * Errors of requests that met a database that is down, noted by handleError: it cannot change
 * the status SvelteKit gives an error (always 500 for one that is not an HttpError), so handle
 * answers in its place. Keyed by the request's locals, the one object both see.
 */
const outages = new WeakMap<App.Locals, unknown>();

/**
 * A request naming a host this server does not answer for is refused before anything else
 * (public-origin.ts: checkHost) — under `npm start` the host (src/server/index.ts) has refused
 * it already; `vite dev` has only this. A write from another site is refused next
 * (endpoint.ts: checkSameSite), for pages and endpoints alike. Then who is asking (session.ts:
 * readCaller): the user of a personal access token, the signed-in user of the session cookie,
 * or null (anonymous); a bad token is refused here, before any route. The fast lane, which
 * answers only GETs, reads it the same way.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const header = (name: string) => event.request.headers.get(name);
	try {
		checkHost(header);
	} catch (error) {
		// `{"message"}` on every path, as the host answers it: the request was not meant for us.
		return toResponse(errorReply(error));
	}
	try {
		checkSameSite(event.request.method, header);
		event.locals.user = await readCaller(await appDatabase(), event.request.method, header);
	} catch (error) {
		// A refusal, or a database that is down while the session is looked up, is answered here
		// as the path's clients read it (a 503 with Retry-After, never a 500); anything else is a bug.
		if (!isApiError(error) && !isDatabaseUnavailable(error)) throw error;
		return toResponse(refusal(event, error));
	}
	const response = await resolve(event);
	// Something SvelteKit ran (a page's loader) met a database that is down: a 503, not its 500.
	if (outages.has(event.locals)) return toResponse(refusal(event, outages.get(event.locals)));
	if (response.status >= 400 && !/json|xml/.test(response.headers.get('content-type') ?? '')) {
		if (isApi(event)) return jsonError(event, response);
		// An Open311 client parses every answer as the spec's error document.
		if (open311.isOpen311Path(event.url.pathname)) return toResponse(open311.refusal(event.url.pathname, refusalError(event, response)));
		// A GIS client reads every answer under /ogc as JSON: an exception document, never the HTML error page.
		if (ogc.isOgcPath(event.url.pathname)) return toResponse(ogc.exception(refusalError(event, response)));
	}
	const csp = response.headers.get('content-security-policy');
	if (csp && env.BASEMAP_TILES) response.headers.set('content-security-policy', withBasemap(csp, env.BASEMAP_TILES));
	return response;
};

const isApi = (event: RequestEvent) => /^\/(api|tiles|offline)(\/|$)/.test(event.url.pathname);

/** A browser asking for a page, not a script asking for JSON (the data of a page, a form action sent by fetch). */
function wantsPage(event: RequestEvent): boolean {
	if (isApi(event) || event.isDataRequest) return false;
	const accept = event.request.headers.get('accept') ?? '';
	return !/application\/json/.test(accept) || /text\/html/.test(accept);
}

/**
 * A refusal, or a database that is down, as the path's clients read it: Open311's error
 * document, OGC's exception, for a browser asking for a page a page in Chinese and English
 * (unavailable-page.ts), else `{"message"}`.
 */
function refusal(event: RequestEvent, error: unknown): Reply {
	const path = event.url.pathname;
	if (open311.isOpen311Path(path)) return open311.refusal(path, error);
	if (ogc.isOgcPath(path)) return ogc.exception(error);
	if (isDatabaseUnavailable(error) && wantsPage(event)) return unavailablePage(asApiError(error));
	return errorReply(error);
}

/**
 * A refusal as a Response, its length stated: a small one then goes uncompressed, as the fast
 * lane sends it. It loads nothing, whatever the path: the endpoints' policy unless it has its own.
 */
const toResponse = (reply: Reply) =>
	new Response(reply.body as string, {
		status: reply.status,
		headers: { 'Content-Security-Policy': ENDPOINT_CSP, ...reply.headers, ...(typeof reply.body === 'string' ? { 'Content-Length': String(Buffer.byteLength(reply.body)) } : {}) }
	});

/** What SvelteKit's own refusal (a 405 for a method a route does not have, a 404) says, as an ApiError. */
function refusalError(event: RequestEvent, response: Response): ApiError {
	const allow = response.headers.get('allow');
	const message =
		response.status === 405
			? `${event.request.method} is not allowed on ${event.url.pathname}${allow ? `; allowed: ${allow}` : ''}`
			: response.status === 404
				? `no endpoint ${event.request.method} ${event.url.pathname}`
				: `the request was refused (${response.status})`;
	return new ApiError(response.status, message, allow ? { Allow: allow } : {});
}

/** SvelteKit's own refusals under /api, /tiles and /offline as JSON, like every other answer there. */
function jsonError(event: RequestEvent, response: Response): Response {
	const error = refusalError(event, response);
	const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' });
	if (error.headers.Allow) headers.set('allow', error.headers.Allow);
	return new Response(errorJson(error), { status: error.status, headers });
}

/** A configured basemap's host may serve the map's images: added to the page's policy, nothing else. */
function withBasemap(csp: string, template: string): string {
	let origin: string;
	try {
		origin = new URL(template.replace(/[{}]/g, '')).origin;
	} catch {
		return csp;
	}
	return csp
		.split(';')
		.map((d) => d.trim())
		.filter(Boolean)
		.map((d) => (/^(img-src|connect-src)\s/.test(d) ? `${d} ${origin}` : d))
		.join('; ');
}

// Never send a stack trace, SQL or driver message to the client; log it on the server.
export const handleError: HandleServerError = ({ error, event, status }) => {
	// Not a bug but an outage: handle answers it with a 503 (see `outages`).
	if (isDatabaseUnavailable(error)) {
		outages.set(event.locals, error);
		return { message: asApiError(error).message };
	}
	if (status >= 500) console.error(error);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
