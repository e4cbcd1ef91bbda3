/**
 * The HTTP side of OGC API – Features at /ogc (interfaces/ogc.ts builds the documents and
 * runs the statements): each request read and checked (Part 1's unknown-parameter rule, the
 * CRSs, bbox, datetime, queryables, CQL2 text), the format picked (`f`, else Accept), the
 * answer shaped, and every error answered as OGC's exception JSON, `{"code", "description"}`
 * (Part 1's exception.yaml).
 */
import { ApiError, fail } from '../platform/errors.js';
import { asApiError, type Call, type Handler, type Reply } from './endpoint.js';
import { isCalendarDay, queryDatetime, queryInt, queryOgcBbox, queryText } from './params.js';
import { publicOrigin } from './public-origin.js';
import { OGC_COLLECTIONS, collectionOf, type OgcCollection, type OgcProperty } from '../interfaces/ogc-collections.js';
import { CRS84, OGC_CRS_URIS, crsOf, type OgcCrs } from '../../geo/ogc-crs.js';
import { MAX_FILTER, parseCql2Text } from '../interfaces/cql2.js';
import { openApiDocument } from '../interfaces/ogc-openapi.js';
import * as html from '../interfaces/ogc-html.js';
import {
	CONFORMANCE,
	DEFAULT_LIMIT,
	GEOJSON_TYPE,
	HTML_TYPE,
	ITEMS_PARAMS,
	JSON_TYPE,
	MAX_LIMIT,
	OPENAPI_TYPE,
	describe,
	item,
	itemsPage,
	itemsQuery,
	landing,
	queryables,
	selfLinks,
	type Format,
	type ItemsQuery,
	type ItemsRequest,
	type Link
} from '../interfaces/ogc.js';

// ---------------------------------------------------------------- errors and formats

/** OGC's exception codes for our statuses. */
function exceptionCode(status: number): string {
	if (status === 400) return 'InvalidParameterValue';
	if (status === 401) return 'NotAuthenticated';
	if (status === 403) return 'Forbidden';
	if (status === 404) return 'NotFound';
	if (status === 405) return 'MethodNotAllowed';
	if (status === 406) return 'NotAcceptable';
	if (status === 503) return 'ServiceUnavailable';
	return 'ServerError';
}

/** An error as OGC's exception JSON. */
export function exception(error: unknown): Reply {
	const e = asApiError(error);
	return {
		status: e.status,
		headers: { ...e.headers, 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' },
		body: JSON.stringify({ code: exceptionCode(e.status), description: e.message })
	};
}

/** A handler whose errors answer as OGC exceptions. */
function ogc(handler: Handler): Handler {
	return async (call) => {
		try {
			return await handler(call);
		} catch (error) {
			return exception(error);
		}
	};
}

/** Whether a path is under /ogc (hooks.server.ts renders the framework's refusals there as exceptions). */
export function isOgcPath(path: string): boolean {
	return /^\/ogc(\/|$)/.test(path);
}

/** `f=json|html`, else what Accept prefers: a browser gets HTML, a GIS client JSON. */
function formatOf(call: Call): Format {
	const f = call.query.get('f');
	if (f !== null && f !== '') {
		if (f === 'json' || f === 'geojson') return 'json';
		if (f === 'html') return 'html';
		fail(400, `f '${f.slice(0, 40)}' is not a format of this server; use f=json or f=html`);
	}
	const accept = call.header('accept') ?? '';
	return /text\/html/.test(accept) && !/json/.test(accept.split(',')[0] ?? '') ? 'html' : 'json';
}

const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function reply(call: Call, type: string, body: string, extra: Record<string, string> = {}): Reply {
	return {
		status: 200,
		headers: {
			'Content-Type': `${type}${type.startsWith('text/') || type === JSON_TYPE ? '; charset=utf-8' : ''}`,
			// The same URL shows different features to different callers.
			'Cache-Control': call.user ? 'private, no-cache' : 'no-cache',
			Vary: 'Cookie, Authorization, Accept',
			...(type === HTML_TYPE ? { 'Content-Security-Policy': HTML_CSP } : {}),
			...extra
		},
		body
	};
}

function base(call: Call): string {
	return `${publicOrigin(call.origin)}/ogc`;
}

// ---------------------------------------------------------------- landing, conformance, api

/** GET /ogc */
export const getLanding = ogc(async (call) => {
	const format = formatOf(call);
	const document = landing(base(call), format);
	return format === 'html' ? reply(call, HTML_TYPE, html.landing(document)) : reply(call, JSON_TYPE, JSON.stringify(document));
});

/** GET /ogc/conformance */
export const getConformance = ogc(async (call) => {
	const format = formatOf(call);
	const document = { conformsTo: CONFORMANCE };
	return format === 'html' ? reply(call, HTML_TYPE, html.conformance(CONFORMANCE)) : reply(call, JSON_TYPE, JSON.stringify(document));
});

/** GET /ogc/api: the OpenAPI 3.0 document; as HTML, a readable list of its paths. */
export const getApi = ogc(async (call) => {
	const format = formatOf(call);
	const document = openApiDocument(base(call));
	return format === 'html' ? reply(call, HTML_TYPE, html.api(document)) : reply(call, OPENAPI_TYPE, JSON.stringify(document));
});

// ---------------------------------------------------------------- collections

function collectionParam(call: Call): OgcCollection {
	const id = call.params.collectionId ?? '';
	const c = collectionOf(id);
	if (!c) fail(404, `no collection '${id.slice(0, 60)}'; collections: ${OGC_COLLECTIONS.map((x) => x.id).join(', ')}`);
	return c;
}

/** GET /ogc/collections */
export const getCollections = ogc(async (call) => {
	const format = formatOf(call);
	const document = {
		links: selfLinks(base(call), '/collections', format, JSON_TYPE, '图层 / Collections'),
		collections: await Promise.all(OGC_COLLECTIONS.map((c) => describe(call.db.knex, call.scope, base(call), c, 'json'))),
		crs: OGC_CRS_URIS
	};
	return format === 'html' ? reply(call, HTML_TYPE, html.collections(document)) : reply(call, JSON_TYPE, JSON.stringify(document));
});

/** GET /ogc/collections/{collectionId} */
export const getCollection = ogc(async (call) => {
	const c = collectionParam(call);
	const format = formatOf(call);
	const document = await describe(call.db.knex, call.scope, base(call), c, format);
	return format === 'html' ? reply(call, HTML_TYPE, html.collection(document)) : reply(call, JSON_TYPE, JSON.stringify(document));
});

// ---------------------------------------------------------------- queryables

/** GET /ogc/collections/{collectionId}/queryables: Part 3's JSON Schema of what a filter may name. */
export const getQueryables = ogc(async (call) => {
	const c = collectionParam(call);
	const format = formatOf(call);
	const document = queryables(base(call), c);
	return format === 'html'
		? reply(call, HTML_TYPE, html.queryables(c, document.properties as Record<string, Record<string, unknown>>))
		: reply(call, 'application/schema+json', JSON.stringify(document));
});

// ---------------------------------------------------------------- items

function crsParam(call: Pick<Call, 'query'>, name: string): OgcCrs {
	const raw = queryText(call.query, name, 200);
	if (raw === undefined) return crsOf(CRS84)!;
	const crs = crsOf(raw);
	if (!crs) fail(400, `${name} '${raw.slice(0, 80)}' is not offered; use one of ${OGC_CRS_URIS.join(', ')}`);
	return crs;
}

/** A property filter's value (`?status=reported`) in the property's type, or a 400 naming it. */
function propertyValue(name: string, p: OgcProperty, raw: string): unknown {
	const wrong = (what: string) => fail(400, `${name} '${raw.slice(0, 60)}' must be ${what}`);
	switch (p.type) {
		case 'integer':
			return /^[+-]?\d{1,15}$/.test(raw) ? Number(raw) : wrong('a whole number');
		case 'number':
			return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : wrong('a number');
		case 'boolean':
			return raw === 'true' ? true : raw === 'false' ? false : wrong('true or false');
		case 'date':
			return isCalendarDay(raw) ? raw : wrong('a date YYYY-MM-DD that exists');
		case 'date-time':
			return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(raw) && isCalendarDay(raw.slice(0, 10)) && !Number.isNaN(Date.parse(raw))
				? raw
				: wrong('an RFC 3339 date-time');
		default:
			if (raw.includes('\u0000') || raw.length > 2000) wrong('text without NUL, at most 2000 characters');
			if (p.values && !p.values.includes(raw)) wrong(`one of ${p.values.join(', ')}`);
			return raw;
	}
}

function cursor(call: Pick<Call, 'query'>, name: string): number | undefined {
	const raw = call.query.get(name);
	if (raw === null || raw === '') return undefined;
	if (!/^\d{1,10}$/.test(raw) || Number(raw) > 2_147_483_647) fail(400, `${name} '${raw.slice(0, 20)}' must be a row cursor from a next or prev link`);
	return Number(raw);
}

/** What an /items request asks for, read and checked in the order a client is told of its first mistake. */
export function readItemsRequest(query: URLSearchParams, c: OgcCollection): ItemsRequest {
	for (const name of query.keys()) {
		if (!ITEMS_PARAMS.has(name) && !Object.hasOwn(c.properties, name))
			fail(400, `unknown parameter '${name.slice(0, 60)}'; ${c.id} takes ${[...ITEMS_PARAMS].join(', ')} and its queryables ${Object.keys(c.properties).join(', ')}`);
		if (query.getAll(name).length > 1) fail(400, `parameter '${name}' is given more than once`);
	}
	const call = { query };
	const crs = crsParam(call, 'crs');
	const limit = queryInt(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
	const after = cursor(call, 'after');
	const before = cursor(call, 'before');
	if (after !== undefined && before !== undefined) fail(400, 'give after or before, not both');

	const bboxCrs = crsParam(call, 'bbox-crs');
	const box = queryOgcBbox(query, 'bbox', bboxCrs);
	if (query.has('bbox-crs') && !box) fail(400, 'bbox-crs names the CRS of bbox, which is missing');

	const datetime = queryDatetime(query);
	if (datetime && !c.time) fail(400, `datetime does not apply to ${c.id}, which has no time`);

	const properties: ItemsRequest['properties'] = [];
	for (const [name, p] of Object.entries(c.properties)) {
		const raw = query.get(name);
		if (raw === null) continue;
		properties.push({ name, property: p, value: propertyValue(name, p, raw) });
	}

	const lang = queryText(query, 'filter-lang', 40);
	if (lang !== undefined && lang !== 'cql2-text') fail(400, `filter-lang '${lang}' is not supported; use cql2-text`);
	const filterText = queryText(query, 'filter', MAX_FILTER);
	if (query.has('filter-crs') && filterText === undefined) fail(400, 'filter-crs names the CRS of filter, which is missing');
	const filter = filterText === undefined ? undefined : { tree: parseCql2Text(filterText), crs: crsParam(call, 'filter-crs') };

	return { crs, limit, after, before, bbox: box ? { box, crs: bboxCrs } : undefined, datetime, properties, filter };
}

/** An /items request as the statement's query. Exported for the bench (scripts/bench/workloads.ts), which replays a page's statement as raw SQL. */
export function readItemsQuery(call: Pick<Call, 'query' | 'scope'>, c: OgcCollection): ItemsQuery {
	return itemsQuery(c, call.scope, readItemsRequest(call.query, c));
}

/** The same query string with another cursor (and without f, which the link's type says). */
function pageHref(call: Call, c: OgcCollection, cursorName: 'after' | 'before', value: number, format: Format): string {
	const params = new URLSearchParams(call.query);
	params.delete('after');
	params.delete('before');
	params.delete('f');
	params.set(cursorName, String(value));
	params.set('f', format);
	return `${base(call)}/collections/${c.id}/items?${params}`;
}

/** GET /ogc/collections/{collectionId}/items */
export const getItems = ogc(async (call) => {
	const c = collectionParam(call);
	const format = formatOf(call);
	const q = readItemsQuery(call, c);
	const { rows, more } = await itemsPage(call.db.knex, q);
	const links: Link[] = [];
	const self = new URLSearchParams(call.query);
	self.delete('f');
	const selfHref = (f: Format) => `${base(call)}/collections/${c.id}/items?${new URLSearchParams([...self, ['f', f]])}`;
	links.push({ href: selfHref('json'), rel: format === 'json' ? 'self' : 'alternate', type: GEOJSON_TYPE, title: 'GeoJSON' });
	links.push({ href: selfHref('html'), rel: format === 'html' ? 'self' : 'alternate', type: HTML_TYPE, title: 'HTML' });
	links.push({ href: `${base(call)}/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title });
	const type = format === 'json' ? GEOJSON_TYPE : HTML_TYPE;
	const first = rows[0]?.id;
	const last = rows.at(-1)?.id;
	// Forward: a next page when a row beyond this one exists; a previous one whenever this page did not start at the beginning.
	if (q.before === undefined) {
		if (more && last !== undefined) links.push({ href: pageHref(call, c, 'after', last, format), rel: 'next', type, title: '下一页 / next page' });
		if (q.after !== undefined) links.push({ href: pageHref(call, c, 'before', first ?? q.after + 1, format), rel: 'prev', type, title: '上一页 / previous page' });
	} else {
		links.push({ href: pageHref(call, c, 'after', last ?? q.before - 1, format), rel: 'next', type, title: '下一页 / next page' });
		if (more && first !== undefined) links.push({ href: pageHref(call, c, 'before', first, format), rel: 'prev', type, title: '上一页 / previous page' });
	}
	const headers = { 'Content-Crs': `<${q.crs.uri}>` };
	if (format === 'html') return reply(call, HTML_TYPE, html.items(c, rows.map((r) => JSON.parse(r.feature)), links), headers);
	// The features are JSON text PostgreSQL wrote; they are joined, not parsed and written again.
	const body = `{"type":"FeatureCollection","features":[${rows.map((r) => r.feature).join(',')}],"links":${JSON.stringify(links)},"timeStamp":"${new Date().toISOString()}","numberReturned":${rows.length}}`;
	return reply(call, GEOJSON_TYPE, body, headers);
});

/** GET /ogc/collections/{collectionId}/items/{featureId} */
export const getItem = ogc(async (call) => {
	const c = collectionParam(call);
	const format = formatOf(call);
	for (const name of call.query.keys()) if (name !== 'f' && name !== 'crs') fail(400, `unknown parameter '${name.slice(0, 60)}'; a feature takes f and crs`);
	const crs = crsParam(call, 'crs');
	const id = call.params.featureId ?? '';
	if (id === '' || id.length > 100 || id.includes('\u0000')) fail(404, `no feature '${id.slice(0, 60)}' in ${c.id}`);
	const found = await item(call.db.knex, call.scope, c, crs, id);
	// Outside the caller's territory a feature is as absent as one that does not exist.
	if (found === null) fail(404, `no feature '${id.slice(0, 60)}' in ${c.id}`);
	const feature = JSON.parse(found) as Record<string, unknown>;
	const path = `/collections/${c.id}/items/${encodeURIComponent(id)}`;
	feature.links = [
		...selfLinks(base(call), path, format, GEOJSON_TYPE, String(feature.id)),
		{ href: `${base(call)}/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title }
	];
	const headers = { 'Content-Crs': `<${crs.uri}>` };
	return format === 'html' ? reply(call, HTML_TYPE, html.item(c, feature), headers) : reply(call, GEOJSON_TYPE, JSON.stringify(feature), headers);
});

/** Any other path under /ogc: an OGC 404. */
export const notFound = ogc(async (call) => {
	throw new ApiError(404, `no resource ${call.method} ${call.path}`);
});
