/**
 * OGC API – Features at /ogc: Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0), Part 2 (CRS by
 * reference) and Part 3 (queryables, queryables as query parameters, CQL2 text filters), so
 * QGIS, ArcGIS and GDAL read every layer without our own JSON. One collection per map layer
 * (ogc-collections.ts); every answer is filtered by the caller's territory exactly as tiles
 * are (territory.ts), whether the caller came with the session cookie or a personal access
 * token. Items page by keyset on the row id (`after`/`before` in the next and prev links),
 * never by offset: a page deep into a layer costs what the first does.
 *
 * Errors are OGC's exception JSON, `{"code", "description"}` (Part 1's exception.yaml).
 */
import type { Knex } from 'knex';
import { ApiError, fail } from '../platform/errors.js';
import { asApiError, type Call, type Handler, type Reply } from '../http/endpoint.js';
import { isCalendarDay, queryDatetime, queryInt, queryOgcBbox, queryText, type OgcBox } from '../http/params.js';
import { publicOrigin } from '../http/public-origin.js';
import { run } from '../platform/prepared.js';
import { scopeFilter, scopeKey, type Scope } from '../ownership/territory.js';
import { OGC_COLLECTIONS, collectionOf, type OgcCollection, type OgcProperty } from './ogc-collections.js';
import { CRS84, OGC_CRS_URIS, crsOf, type OgcCrs } from '../../geo/ogc-crs.js';
import { GEOMETRY_QUERYABLE, MAX_FILTER, cql2ToSql, parseCql2Text } from './cql2.js';
import { openApiDocument } from './ogc-openapi.js';
import * as html from './ogc-html.js';

export const GEOJSON_TYPE = 'application/geo+json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';
const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

export const CONFORMANCE = [
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
	'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
	'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
	'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
	'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
	'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
	'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus'
];

/** The parameters /items takes besides the queryables; anything else is a 400 (Part 1 /req/core/query-param-unknown). */
const ITEMS_PARAMS = new Set(['f', 'bbox', 'bbox-crs', 'limit', 'datetime', 'crs', 'filter', 'filter-lang', 'filter-crs', 'after', 'before']);

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

type Format = 'json' | 'html';

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

interface Link {
	href: string;
	rel: string;
	type?: string;
	title?: string;
}

function base(call: Call): string {
	return `${publicOrigin(call.origin)}/ogc`;
}

/** This resource in the other format, and itself. */
function selfLinks(call: Call, path: string, format: Format, jsonType: string, title: string): Link[] {
	const href = `${base(call)}${path}`;
	return [
		{ href: `${href}?f=json`, rel: format === 'json' ? 'self' : 'alternate', type: jsonType, title: `${title} (JSON)` },
		{ href: `${href}?f=html`, rel: format === 'html' ? 'self' : 'alternate', type: HTML_TYPE, title: `${title} (HTML)` }
	];
}

// ---------------------------------------------------------------- landing, conformance, api

/** GET /ogc */
export const getLanding = ogc(async (call) => {
	const format = formatOf(call);
	const root = base(call);
	const document = {
		title: '网格治理一张图 OGC API – Features',
		description: '合江县网格治理数据：街道、社区、网格、小区、楼栋、问题、改造项目、积水点 / Hejiang County grid governance data',
		links: [
			...selfLinks(call, '', format, JSON_TYPE, '本页 / This document'),
			{ href: `${root}/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'OpenAPI 3.0' },
			{ href: `${root}/api?f=html`, rel: 'service-doc', type: HTML_TYPE, title: '接口说明 / API documentation' },
			{ href: `${root}/conformance`, rel: 'conformance', type: JSON_TYPE, title: '符合的标准 / Conformance' },
			{ href: `${root}/collections`, rel: 'data', type: JSON_TYPE, title: '图层 / Collections' }
		]
	};
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

const EXTENT_TTL_MS = 60_000;
const extents = new Map<string, { at: number; bbox: number[] | null; interval: (string | null)[] | null }>();

/**
 * A layer's extent in space (CRS84) and time over what the caller may read (an extent over the
 * whole table would tell an anonymous caller where and when the first and last case were);
 * cached for a minute per layer and territory.
 */
async function extentOf(knex: Knex, c: OgcCollection, scope: Scope): Promise<{ bbox: number[] | null; interval: (string | null)[] | null }> {
	const key = `${c.id}|${c.territory ? scopeKey(scope) : 'public'}`;
	const hit = extents.get(key);
	if (hit && Date.now() - hit.at < EXTENT_TTL_MS) return hit;
	const time = c.time ? ('instant' in c.time ? [c.time.instant, c.time.instant] : [c.time.start, c.time.end]) : null;
	const inScope = c.territory ? scopeFilter(scope, c.territory.column, c.territory.shape) : { sql: 'true', bindings: {} };
	const sql = `SELECT ST_XMin(ST_Extent(t.geom)) AS w, ST_YMin(ST_Extent(t.geom)) AS s, ST_XMax(ST_Extent(t.geom)) AS e, ST_YMax(ST_Extent(t.geom)) AS n
		${time ? `, to_json(min(${time[0]}))#>>'{}' AS t0, to_json(max(${time[1]}))#>>'{}' AS t1` : ''}
		FROM ${c.table} t WHERE ${inScope.sql}`;
	const row = (await knex.raw(sql, inScope.bindings)).rows[0] as { w: number | null; s: number; e: number; n: number; t0?: string | null; t1?: string | null };
	const value = {
		at: Date.now(),
		bbox: row.w === null ? null : [row.w, row.s, row.e, row.n].map((v) => Math.round(Number(v) * 1e7) / 1e7),
		interval: time && row.w !== null ? [row.t0 ?? null, row.t1 ?? null] : null
	};
	if (extents.size > 1000) extents.clear();
	extents.set(key, value);
	return value;
}

/** One collection's description (Part 1 §7.14, Part 2's crs and storageCrs). */
async function describe(call: Call, c: OgcCollection, format: Format): Promise<html.Described> {
	const extent = await extentOf(call.db.knex, c, call.scope);
	const root = `${base(call)}/collections/${c.id}`;
	return {
		id: c.id,
		title: c.title,
		description: c.description,
		links: [
			...selfLinks(call, `/collections/${c.id}`, format, JSON_TYPE, c.title),
			{ href: `${root}/items?f=json`, rel: 'items', type: GEOJSON_TYPE, title: `${c.title} (GeoJSON)` },
			{ href: `${root}/items?f=html`, rel: 'items', type: HTML_TYPE, title: `${c.title} (HTML)` },
			{ href: `${root}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', title: '可查询属性 / Queryables' }
		],
		extent: {
			spatial: { bbox: extent.bbox ? [extent.bbox] : [], crs: CRS84 },
			...(extent.interval ? { temporal: { interval: [extent.interval], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {})
		},
		itemType: 'feature',
		crs: OGC_CRS_URIS,
		storageCrs: CRS84
	};
}

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
		links: selfLinks(call, '/collections', format, JSON_TYPE, '图层 / Collections'),
		collections: await Promise.all(OGC_COLLECTIONS.map((c) => describe(call, c, 'json'))),
		crs: OGC_CRS_URIS
	};
	return format === 'html' ? reply(call, HTML_TYPE, html.collections(document)) : reply(call, JSON_TYPE, JSON.stringify(document));
});

/** GET /ogc/collections/{collectionId} */
export const getCollection = ogc(async (call) => {
	const c = collectionParam(call);
	const format = formatOf(call);
	const document = await describe(call, c, format);
	return format === 'html' ? reply(call, HTML_TYPE, html.collection(document)) : reply(call, JSON_TYPE, JSON.stringify(document));
});

// ---------------------------------------------------------------- queryables

const SCHEMA_TYPES: Record<OgcProperty['type'], Record<string, string>> = {
	string: { type: 'string' },
	integer: { type: 'integer' },
	number: { type: 'number' },
	boolean: { type: 'boolean' },
	date: { type: 'string', format: 'date' },
	'date-time': { type: 'string', format: 'date-time' }
};

/** GET /ogc/collections/{collectionId}/queryables: Part 3's JSON Schema of what a filter may name. */
export const getQueryables = ogc(async (call) => {
	const c = collectionParam(call);
	const format = formatOf(call);
	const document = {
		// An identifier of the JSON Schema dialect (Part 3 names it), never fetched.
		$schema: 'https://json-schema.org/draft/2020-12/schema',
		$id: `${base(call)}/collections/${c.id}/queryables`,
		type: 'object',
		title: c.title,
		properties: {
			[GEOMETRY_QUERYABLE]: { title: '几何 / geometry', format: c.geometryFormat, 'x-ogc-role': 'primary-geometry' },
			...Object.fromEntries(
				Object.entries(c.properties).map(([name, p]) => [name, { title: p.title, ...SCHEMA_TYPES[p.type], ...(p.values ? { enum: p.values } : {}) }])
			)
		},
		additionalProperties: false
	};
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

/** The geometry as GeoJSON in the answer's CRS, at about a centimetre. */
function geometrySql(crs: OgcCrs): string {
	if (crs.srid === 4326 && !crs.latFirst) return `ST_AsGeoJSON(t.geom, ${crs.decimals}, 0)`;
	const projected = crs.srid === 4326 ? 't.geom' : `ST_Transform(t.geom, ${crs.srid})`;
	return `ST_AsGeoJSON(${crs.latFirst ? `ST_FlipCoordinates(${projected})` : projected}, ${crs.decimals}, 0)`;
}

/** The bbox as a predicate on `t.geom`, its corners bound. */
function bboxSql(box: OgcBox, crs: OgcCrs): string {
	const env = (w: string, e: string) => `ST_Transform(ST_MakeEnvelope(CAST(${w} AS float8), CAST(:bs AS float8), CAST(${e} AS float8), CAST(:bn AS float8), ${crs.srid}), 4326)`;
	if (!box.crosses) return `(t.geom && ${env(':bw', ':be')} AND ST_Intersects(t.geom, ${env(':bw', ':be')}))`;
	// Across the antimeridian: the part east of the west edge and the part west of the east edge.
	return `(ST_Intersects(t.geom, ${env(':bw', '180')}) OR ST_Intersects(t.geom, ${env('-180', ':be')}))`;
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

const CASTS: Record<OgcProperty['type'], string> = {
	string: 'text',
	integer: 'bigint',
	number: 'double precision',
	boolean: 'boolean',
	date: 'date',
	'date-time': 'timestamptz'
};

/** What an /items request asks for, read and checked. */
interface ItemsQuery {
	collection: OgcCollection;
	crs: OgcCrs;
	limit: number;
	after?: number;
	before?: number;
	/** the WHERE clause (over `t`) and its bindings, the territory included */
	where: string;
	bindings: Record<string, unknown>;
	/** the where clause came from a CQL2 filter: its text varies, so it is not prepared */
	adHoc: boolean;
}

function cursor(call: Pick<Call, 'query'>, name: string): number | undefined {
	const raw = call.query.get(name);
	if (raw === null || raw === '') return undefined;
	if (!/^\d{1,10}$/.test(raw) || Number(raw) > 2_147_483_647) fail(400, `${name} '${raw.slice(0, 20)}' must be a row cursor from a next or prev link`);
	return Number(raw);
}

/** Exported for the bench (scripts/bench/workloads.ts), which replays a page's statement as raw SQL. */
export function readItemsQuery(call: Pick<Call, 'query' | 'scope'>, c: OgcCollection): ItemsQuery {
	for (const name of call.query.keys()) {
		if (!ITEMS_PARAMS.has(name) && !Object.hasOwn(c.properties, name))
			fail(400, `unknown parameter '${name.slice(0, 60)}'; ${c.id} takes ${[...ITEMS_PARAMS].join(', ')} and its queryables ${Object.keys(c.properties).join(', ')}`);
		if (call.query.getAll(name).length > 1) fail(400, `parameter '${name}' is given more than once`);
	}
	const crs = crsParam(call, 'crs');
	const limit = queryInt(call.query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
	const after = cursor(call, 'after');
	const before = cursor(call, 'before');
	if (after !== undefined && before !== undefined) fail(400, 'give after or before, not both');
	const conditions: string[] = [];
	const bindings: Record<string, unknown> = {};

	const box = queryOgcBbox(call.query, 'bbox', crsParam(call, 'bbox-crs'));
	if (call.query.has('bbox-crs') && !box) fail(400, 'bbox-crs names the CRS of bbox, which is missing');
	if (box) {
		conditions.push(bboxSql(box, crsParam(call, 'bbox-crs')));
		Object.assign(bindings, { bw: box.west, bs: box.south, be: box.east, bn: box.north });
	}

	const datetime = queryDatetime(call.query);
	if (datetime) {
		if (!c.time) fail(400, `datetime does not apply to ${c.id}, which has no time`);
		const [first, last] = 'instant' in c.time ? [c.time.instant, c.time.instant] : [c.time.start, c.time.end];
		// A feature matches when its time (an instant, or its start–end period) meets the asked one.
		conditions.push(`COALESCE(${first}, ${last}) IS NOT NULL`);
		if (datetime.start !== null) {
			conditions.push(`COALESCE(${last}, ${first}) >= CAST(:dt0 AS timestamptz)`);
			bindings.dt0 = datetime.start;
		}
		if (datetime.end !== null) {
			conditions.push(`COALESCE(${first}, ${last}) <= CAST(:dt1 AS timestamptz)`);
			bindings.dt1 = datetime.end;
		}
	}

	for (const [name, p] of Object.entries(c.properties)) {
		const raw = call.query.get(name);
		if (raw === null) continue;
		conditions.push(`(${p.sql}) = CAST(:q_${name} AS ${CASTS[p.type]})`);
		bindings[`q_${name}`] = propertyValue(name, p, raw);
	}

	const lang = queryText(call.query, 'filter-lang', 40);
	if (lang !== undefined && lang !== 'cql2-text') fail(400, `filter-lang '${lang}' is not supported; use cql2-text`);
	const filterText = queryText(call.query, 'filter', MAX_FILTER);
	if (call.query.has('filter-crs') && filterText === undefined) fail(400, 'filter-crs names the CRS of filter, which is missing');
	if (filterText !== undefined) {
		const filter = cql2ToSql(parseCql2Text(filterText), c, crsParam(call, 'filter-crs'));
		conditions.push(filter.sql);
		Object.assign(bindings, filter.bindings);
	}

	if (c.territory) {
		const inScope = scopeFilter(call.scope, c.territory.column, c.territory.shape);
		conditions.push(inScope.sql);
		Object.assign(bindings, inScope.bindings);
	}
	if (after !== undefined) conditions.push('t.id > CAST(:after AS int)');
	if (before !== undefined) conditions.push('t.id < CAST(:before AS int)');
	Object.assign(bindings, { after, before, limit: limit + 1 });
	return { collection: c, crs, limit, after, before, where: conditions.length ? conditions.join(' AND ') : 'true', bindings, adHoc: filterText !== undefined };
}

/**
 * The statement of a page: each feature as GeoJSON text built by PostgreSQL, one more row than
 * asked so the answer knows whether a next (or previous) page exists.
 */
export function itemsSql(q: Pick<ItemsQuery, 'collection' | 'crs' | 'where' | 'before'>): string {
	const c = q.collection;
	const properties = Object.entries(c.properties)
		.map(([name, p]) => `${p.sql} AS "${name}"`)
		.join(', ');
	// Concatenated, and row_to_json for the properties: PostgreSQL's json_build_object text puts
	// " : " between every key and value, some 10% more bytes on the wire.
	return `SELECT t.id, '{"type":"Feature","id":' || to_json(${c.featureId})::text || ',"geometry":' || COALESCE(${geometrySql(q.crs)}, 'null')
			|| ',"properties":' || row_to_json((SELECT p FROM (SELECT ${properties}) p))::text || '}' AS feature
		FROM ${c.table} t
		WHERE ${q.where}
		ORDER BY t.id ${q.before !== undefined ? 'DESC' : 'ASC'}
		LIMIT CAST(:limit AS int)`;
}

/**
 * Filter shapes prepared so far. A filter's statement text follows its shape only (its values
 * are bound), and a GIS client pages one filter many times over: prepared like the rest, up to
 * this many shapes — each stays prepared on every connection for good, so beyond it they run as
 * plain queries.
 */
const PREPARED_FILTERS = new Set<string>();
const MAX_PREPARED_FILTERS = 256;

/** Runs a page's statement: prepared when its text is one of a bounded set, else as a plain query. */
async function runItems(call: Call, sql: string, bindings: Record<string, unknown>, adHoc: boolean): Promise<{ id: number; feature: string }[]> {
	const defined = Object.fromEntries(Object.entries(bindings).filter(([, v]) => v !== undefined));
	if (adHoc && !PREPARED_FILTERS.has(sql)) {
		if (PREPARED_FILTERS.size >= MAX_PREPARED_FILTERS) return (await call.db.knex.raw(sql, defined as never)).rows;
		PREPARED_FILTERS.add(sql);
	}
	return run<{ id: number; feature: string }>(call.db.knex, sql, defined);
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
	let rows = await runItems(call, itemsSql(q), q.bindings, q.adHoc);
	const more = rows.length > q.limit;
	if (more) rows = rows.slice(0, q.limit);
	if (q.before !== undefined) rows.reverse();
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
	const conditions = [`${c.featureId} = CAST(:id AS text)`];
	const bindings: Record<string, unknown> = { id };
	if (c.territory) {
		const inScope = scopeFilter(call.scope, c.territory.column, c.territory.shape);
		conditions.push(inScope.sql);
		Object.assign(bindings, inScope.bindings);
	}
	const sql = itemsSql({ collection: c, crs, where: conditions.join(' AND '), before: undefined });
	const rows = await run<{ id: number; feature: string }>(call.db.knex, sql, { ...bindings, limit: 1 });
	// Outside the caller's territory a feature is as absent as one that does not exist.
	if (!rows.length) fail(404, `no feature '${id.slice(0, 60)}' in ${c.id}`);
	const feature = JSON.parse(rows[0].feature) as Record<string, unknown>;
	const path = `/collections/${c.id}/items/${encodeURIComponent(id)}`;
	feature.links = [
		...selfLinks(call, path, format, GEOJSON_TYPE, String(feature.id)),
		{ href: `${base(call)}/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title }
	];
	const headers = { 'Content-Crs': `<${crs.uri}>` };
	return format === 'html' ? reply(call, HTML_TYPE, html.item(c, feature), headers) : reply(call, GEOJSON_TYPE, JSON.stringify(feature), headers);
});

/** Any other path under /ogc: an OGC 404. */
export const notFound = ogc(async (call) => {
	throw new ApiError(404, `no resource ${call.method} ${call.path}`);
});
