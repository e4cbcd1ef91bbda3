import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase, initAppDatabase } from '$lib/server/app-database';
import { readCaller } from '$lib/server/session';
import { checkSameSite, errorReply, type Reply } from '$lib/server/endpoint';
import { ApiError, isApiError } from '$lib/server/errors';
import * as open311 from '$lib/server/open311';
import * as ogc from '$lib/server/ogc';

// Under the Node server the database is already open; under `vite dev` this opens it.
export const init: ServerInit = async () => {
	await initAppDatabase({ log: (m) => console.log(m) });
};

/**
 * A write from another site is refused first (endpoint.ts: checkSameSite), for pages and
 * endpoints alike. Then who is asking (session.ts: readCaller): the user of a personal access
 * token, the signed-in user of the session cookie, or null (anonymous); a bad token is refused
 * here, before any route. The fast lane, which answers only GETs, reads it the same way.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const header = (name: string) => event.request.headers.get(name);
	try {
		checkSameSite(event.request.method, event.url.origin, header);
		event.locals.user = await readCaller((await appDatabase()).knex, event.request.method, header);
	} catch (error) {
		// A database that is down stays SvelteKit's to answer, as before: only refusals are ours.
		if (!isApiError(error)) throw error;
		const path = event.url.pathname;
		return toResponse(open311.isOpen311Path(path) ? open311.refusal(path, error) : ogc.isOgcPath(path) ? ogc.exception(error) : errorReply(error));
	}
	const response = await resolve(event);
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

/** A refusal as a Response, its length stated: a small one then goes uncompressed, as the fast lane sends it. */
const toResponse = (reply: Reply) =>
	new Response(reply.body as string, { status: reply.status, headers: { ...reply.headers, ...(typeof reply.body === 'string' ? { 'Content-Length': String(Buffer.byteLength(reply.body)) } : {}) } });

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
	return new Response(JSON.stringify({ message: error.message }), { status: error.status, headers });
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
export const handleError: HandleServerError = ({ error, status }) => {
	if (status >= 500) console.error(error);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
