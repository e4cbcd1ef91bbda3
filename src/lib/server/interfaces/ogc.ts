/**
 * OGC API – Features at /ogc: Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0), Part 2 (CRS by
 * reference) and Part 3 (queryables, queryables as query parameters, CQL2 text filters), so
 * QGIS, ArcGIS and GDAL read every layer without our own JSON. One collection per map layer
 * (ogc-collections.ts); every answer is filtered by the caller's territory exactly as tiles
 * are (territory.ts), whether the caller came with the session cookie or a personal access
 * token. Items page by keyset on the row id (`after`/`before` in the next and prev links),
 * never by offset: a page deep into a layer costs what the first does.
 *
 * This module builds the documents and runs the statements; the HTTP side (http/ogc.ts) reads
 * the requests, picks the format and answers errors as OGC's exception JSON.
 */
import type { Knex } from 'knex';
import { run } from '../platform/prepared.js';
import { scopeFilter, scopeKey, type Scope } from '../ownership/territory.js';
import type { OgcCollection, OgcProperty } from './ogc-collections.js';
import { CRS84, OGC_CRS_URIS, type OgcCrs } from '../../geo/ogc-crs.js';
import { GEOMETRY_QUERYABLE, cql2ToSql } from './cql2.js';
import type { Described } from './ogc-html.js';

/** A box in a CRS's own axis order turned into west, south, east, north; `crosses` when it spans the antimeridian. */
export interface OgcBox {
	west: number;
	south: number;
	east: number;
	north: number;
	crosses: boolean;
}

export const GEOJSON_TYPE = 'application/geo+json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';
export const JSON_TYPE = 'application/json';
export const HTML_TYPE = 'text/html';

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
export const ITEMS_PARAMS = new Set(['f', 'bbox', 'bbox-crs', 'limit', 'datetime', 'crs', 'filter', 'filter-lang', 'filter-crs', 'after', 'before']);

export type Format = 'json' | 'html';

export interface Link {
	href: string;
	rel: string;
	type?: string;
	title?: string;
}

/** This resource in the other format, and itself; `base` is the service's absolute root (…/ogc). */
export function selfLinks(base: string, path: string, format: Format, jsonType: string, title: string): Link[] {
	const href = `${base}${path}`;
	return [
		{ href: `${href}?f=json`, rel: format === 'json' ? 'self' : 'alternate', type: jsonType, title: `${title} (JSON)` },
		{ href: `${href}?f=html`, rel: format === 'html' ? 'self' : 'alternate', type: HTML_TYPE, title: `${title} (HTML)` }
	];
}

// ---------------------------------------------------------------- landing

/** The landing page's document (Part 1 §7.2). */
export function landing(base: string, format: Format) {
	return {
		title: '网格治理一张图 OGC API – Features',
		description: '合江县网格治理数据：街道、社区、网格、小区、楼栋、问题、改造项目、积水点 / Hejiang County grid governance data',
		links: [
			...selfLinks(base, '', format, JSON_TYPE, '本页 / This document'),
			{ href: `${base}/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'OpenAPI 3.0' },
			{ href: `${base}/api?f=html`, rel: 'service-doc', type: HTML_TYPE, title: '接口说明 / API documentation' },
			{ href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: '符合的标准 / Conformance' },
			{ href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: '图层 / Collections' }
		]
	};
}

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
export async function describe(knex: Knex, scope: Scope, base: string, c: OgcCollection, format: Format): Promise<Described> {
	const extent = await extentOf(knex, c, scope);
	const root = `${base}/collections/${c.id}`;
	return {
		id: c.id,
		title: c.title,
		description: c.description,
		links: [
			...selfLinks(base, `/collections/${c.id}`, format, JSON_TYPE, c.title),
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

const SCHEMA_TYPES: Record<OgcProperty['type'], Record<string, string>> = {
	string: { type: 'string' },
	integer: { type: 'integer' },
	number: { type: 'number' },
	boolean: { type: 'boolean' },
	date: { type: 'string', format: 'date' },
	'date-time': { type: 'string', format: 'date-time' }
};


/** Part 3's JSON Schema of what a filter on a collection may name. */
export function queryables(base: string, c: OgcCollection) {
	return {
		// An identifier of the JSON Schema dialect (Part 3 names it), never fetched.
		$schema: 'https://json-schema.org/draft/2020-12/schema',
		$id: `${base}/collections/${c.id}/queryables`,
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
}

// ---------------------------------------------------------------- items

/** The geometry as GeoJSON in the answer's CRS, at about a centimetre. */
function geometrySql(crs: OgcCrs): string {
	if (crs.srid === 4326 && !crs.latFirst) return `ST_AsGeoJSON(t.geom, ${crs.decimals}, 0)`;
	const projected = crs.srid === 4326 ? 't.geom' : `ST_Transform(t.geom, ${crs.srid})`;
	return `ST_AsGeoJSON(${crs.latFirst ? `ST_FlipCoordinates(${projected})` : projected}, ${crs.decimals}, 0)`;
}

/** The bbox as a predicate on `t.geom`, its corners bound. */
export function bboxSql(box: OgcBox, crs: OgcCrs): string {
	const env = (w: string, e: string) => `ST_Transform(ST_MakeEnvelope(CAST(${w} AS float8), CAST(:bs AS float8), CAST(${e} AS float8), CAST(:bn AS float8), ${crs.srid}), 4326)`;
	if (!box.crosses) return `(t.geom && ${env(':bw', ':be')} AND ST_Intersects(t.geom, ${env(':bw', ':be')}))`;
	// Across the antimeridian: the part east of the west edge and the part west of the east edge.
	return `(ST_Intersects(t.geom, ${env(':bw', '180')}) OR ST_Intersects(t.geom, ${env('-180', ':be')}))`;
}

export const CASTS: Record<OgcProperty['type'], string> = {
	string: 'text',
	integer: 'bigint',
	number: 'double precision',
	boolean: 'boolean',
	date: 'date',
	'date-time': 'timestamptz'
};

/** What an /items request asks for, read and checked. */
export interface ItemsQuery {
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


/**
 * What an /items request asks for, read and checked by the HTTP layer (http/ogc.ts): each part
 * absent when the request does not give it.
 */
export interface ItemsRequest {
	crs: OgcCrs;
	limit: number;
	after?: number;
	before?: number;
	bbox?: { box: OgcBox; crs: OgcCrs };
	datetime?: { start: string | null; end: string | null };
	/** queryables as query parameters, each with its value in the property's type */
	properties: { name: string; property: OgcProperty; value: unknown }[];
	/** a CQL2 filter's syntax tree and the CRS of its geometries */
	filter?: { tree: unknown; crs: OgcCrs };
}

/** The statement's WHERE clause and bindings for a page of a collection, the territory included. */
export function itemsQuery(c: OgcCollection, scope: Scope, request: ItemsRequest): ItemsQuery {
	const { crs, limit, after, before } = request;
	const conditions: string[] = [];
	const bindings: Record<string, unknown> = {};
	if (request.bbox) {
		const box = request.bbox.box;
		conditions.push(bboxSql(box, request.bbox.crs));
		Object.assign(bindings, { bw: box.west, bs: box.south, be: box.east, bn: box.north });
	}
	const datetime = request.datetime;
	if (datetime && c.time) {
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
	for (const { name, property: p, value } of request.properties) {
		conditions.push(`(${p.sql}) = CAST(:q_${name} AS ${CASTS[p.type]})`);
		bindings[`q_${name}`] = value;
	}
	if (request.filter) {
		const filter = cql2ToSql(request.filter.tree, c, request.filter.crs);
		conditions.push(filter.sql);
		Object.assign(bindings, filter.bindings);
	}
	if (c.territory) {
		const inScope = scopeFilter(scope, c.territory.column, c.territory.shape);
		conditions.push(inScope.sql);
		Object.assign(bindings, inScope.bindings);
	}
	if (after !== undefined) conditions.push('t.id > CAST(:after AS int)');
	if (before !== undefined) conditions.push('t.id < CAST(:before AS int)');
	Object.assign(bindings, { after, before, limit: limit + 1 });
	return { collection: c, crs, limit, after, before, where: conditions.length ? conditions.join(' AND ') : 'true', bindings, adHoc: request.filter !== undefined };
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
export async function runItems(knex: Knex, sql: string, bindings: Record<string, unknown>, adHoc: boolean): Promise<{ id: number; feature: string }[]> {
	const defined = Object.fromEntries(Object.entries(bindings).filter(([, v]) => v !== undefined));
	if (adHoc && !PREPARED_FILTERS.has(sql)) {
		if (PREPARED_FILTERS.size >= MAX_PREPARED_FILTERS) return (await knex.raw(sql, defined as never)).rows;
		PREPARED_FILTERS.add(sql);
	}
	return run<{ id: number; feature: string }>(knex, sql, defined);
}

/** A page of features (each GeoJSON text PostgreSQL wrote), in id order, and whether more lie beyond it in the direction asked. */
export async function itemsPage(knex: Knex, q: ItemsQuery): Promise<{ rows: { id: number; feature: string }[]; more: boolean }> {
	let rows = await runItems(knex, itemsSql(q), q.bindings, q.adHoc);
	const more = rows.length > q.limit;
	if (more) rows = rows.slice(0, q.limit);
	if (q.before !== undefined) rows.reverse();
	return { rows, more };
}

/** One feature by its id as GeoJSON text, or null when it does not exist or lies outside the caller's territory. */
export async function item(knex: Knex, scope: Scope, c: OgcCollection, crs: OgcCrs, id: string): Promise<string | null> {
	const conditions = [`${c.featureId} = CAST(:id AS text)`];
	const bindings: Record<string, unknown> = { id };
	if (c.territory) {
		const inScope = scopeFilter(scope, c.territory.column, c.territory.shape);
		conditions.push(inScope.sql);
		Object.assign(bindings, inScope.bindings);
	}
	const sql = itemsSql({ collection: c, crs, where: conditions.join(' AND '), before: undefined });
	const rows = await run<{ id: number; feature: string }>(knex, sql, { ...bindings, limit: 1 });
	return rows[0]?.feature ?? null;
}
