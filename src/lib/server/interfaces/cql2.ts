/**
 * CQL2 text filters (OGC API – Features Part 3) as parameterised SQL. The text is parsed by the
 * parser Peggy generated from the grammar in cql2-grammar.ts when the app was built
 * (scripts/lib/cql2-parser.ts) into CQL2 JSON; this module
 * walks that tree and writes SQL from an allow-list: a property becomes the SQL the
 * collection defines for it (ogc-collections.ts), every literal a bound parameter, every
 * operator one of a fixed set. No text from the request ever becomes SQL.
 *
 * Supported, as the conformance document declares: basic CQL2 (comparisons, AND/OR/NOT,
 * IS NULL), the advanced comparison operators (LIKE, BETWEEN, IN) and S_INTERSECTS with a
 * point, bbox or any other geometry literal. Anything else is a 400 that names it.
 */
import { fail } from '../platform/errors.js';
import { readGeoJson } from '../../geo/geojson-check.js';
import { isCalendarDay } from '../../domain/work-calendar.js';
import type { OgcCrs } from '../../geo/ogc-crs.js';
import type { OgcCollection, OgcProperty } from './ogc-collections.js';
import { parse as parseCql2 } from './cql2-parser.generated.js';

/** The queryable every collection has for its geometry (Part 3 names it in queryables). */
export const GEOMETRY_QUERYABLE = 'geometry';
/** Longest filter text taken: far above any real query, well below anything slow to parse. */
export const MAX_FILTER = 20_000;
/** Most nodes a filter tree may have, and values an IN list. */
const MAX_NODES = 2_000;
const MAX_IN = 1_000;

/** CQL2 text as CQL2 JSON, or a 400 saying where and why it does not parse. */
export function parseCql2Text(text: string): unknown {
	if (text.length > MAX_FILTER) fail(400, `filter must be at most ${MAX_FILTER} characters, got ${text.length}`);
	try {
		return parseCql2(text);
	} catch (error) {
		const e = error as { message?: string; location?: { start: { column: number; line: number } } };
		if (!e?.location) throw error;
		const at = e.location.start.line > 1 ? `line ${e.location.start.line}, character ${e.location.start.column}` : `character ${e.location.start.column}`;
		fail(400, `filter is not valid CQL2 text at ${at}: ${String(e.message).slice(0, 300)}`);
	}
}

/** A filter as SQL over the row `t`, with its named bindings (`:f1`, `:f2`, …). */
export interface SqlFilter {
	sql: string;
	bindings: Record<string, unknown>;
}

type ValueType = 'string' | 'number' | 'boolean' | 'date' | 'instant' | 'geometry' | 'null';

interface Operand {
	sql: string;
	type: ValueType;
	/** the property's name, when the operand is one */
	property?: string;
}

const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const SUPPORTED = '=, <>, <, <=, >, >=, AND, OR, NOT, IS NULL, LIKE, BETWEEN, IN and S_INTERSECTS';

const CASTS: Record<Exclude<ValueType, 'null' | 'geometry'>, string> = {
	string: 'text',
	number: 'double precision',
	boolean: 'boolean',
	date: 'date',
	instant: 'timestamptz'
};

function typeOf(property: OgcProperty): ValueType {
	switch (property.type) {
		case 'integer':
		case 'number':
			return 'number';
		case 'date':
			return 'date';
		case 'date-time':
			return 'instant';
		default:
			return property.type;
	}
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * CQL2 JSON as SQL for one collection. `filterCrs` is the CRS geometry literals are in
 * (`filter-crs`, CRS84 by default).
 */
export function cql2ToSql(tree: unknown, collection: OgcCollection, filterCrs: OgcCrs): SqlFilter {
	const bindings: Record<string, unknown> = {};
	let nodes = 0;
	const bind = (value: unknown, type: Exclude<ValueType, 'null' | 'geometry'>): string => {
		const name = `f${Object.keys(bindings).length + 1}`;
		bindings[name] = value;
		return `CAST(:${name} AS ${CASTS[type]})`;
	};
	const queryables = () => [...Object.keys(collection.properties), GEOMETRY_QUERYABLE].join(', ');

	function operand(node: unknown): Operand {
		if (++nodes > MAX_NODES) fail(400, `filter has more than ${MAX_NODES} terms`);
		if (node === null) return { sql: 'NULL', type: 'null' };
		if (typeof node === 'string') return { sql: bind(node, 'string'), type: 'string' };
		if (typeof node === 'boolean') return { sql: bind(node, 'boolean'), type: 'boolean' };
		if (typeof node === 'number') {
			if (!Number.isFinite(node)) fail(400, 'filter: a number is out of range');
			return { sql: bind(node, 'number'), type: 'number' };
		}
		if (isObject(node)) {
			if (typeof node.property === 'string') return property(node.property);
			if (typeof node.timestamp === 'string') return { sql: bind(instant(node.timestamp), 'instant'), type: 'instant' };
			if (typeof node.date === 'string') return { sql: bind(day(node.date), 'date'), type: 'date' };
			if (Array.isArray(node.bbox)) return { sql: envelope(node.bbox), type: 'geometry' };
			if (typeof node.type === 'string' && 'coordinates' in node) return { sql: geometry(node), type: 'geometry' };
			if (typeof node.op === 'string') fail(400, `filter: ${node.op.toUpperCase()} is not supported; supported: ${SUPPORTED}`);
			if ('interval' in node) fail(400, 'filter: intervals need temporal operators, which are not supported; use datetime=start/end');
		}
		fail(400, `filter: ${JSON.stringify(node).slice(0, 80)} is not a value this server can compare`);
	}

	function property(name: string): Operand {
		if (name === GEOMETRY_QUERYABLE) return { sql: 't.geom', type: 'geometry', property: name };
		const p = Object.hasOwn(collection.properties, name) ? collection.properties[name] : undefined;
		if (!p) fail(400, `filter: '${name.slice(0, 60)}' is not a queryable of ${collection.id}; queryables: ${queryables()}`);
		return { sql: `(${p.sql})`, type: typeOf(p), property: name };
	}

	// The calendar check as well as Date.parse: Node reads 2026-02-30 and year 0000 as dates, PostgreSQL refuses them (a 500).
	function instant(text: string): string {
		if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) || !isCalendarDay(text.slice(0, 10)) || Number.isNaN(Date.parse(text)))
			fail(400, `filter: TIMESTAMP('${text.slice(0, 40)}') is not an RFC 3339 date-time`);
		return text;
	}

	function day(text: string): string {
		if (!isCalendarDay(text)) fail(400, `filter: DATE('${text.slice(0, 40)}') is not a calendar date`);
		return text;
	}

	/** A literal geometry in the filter CRS, checked, as SQL in the storage CRS. */
	function geometry(node: Record<string, unknown>): string {
		const shaped = filterCrs.latFirst ? flip(node) : node;
		const check = readGeoJson(JSON.stringify(shaped), {
			allowed: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
			crs: filterCrs.srid === 3857 ? 'epsg:3857' : 'wgs84'
		});
		if (!check.ok) fail(400, `filter: the geometry literal is not valid: ${check.error}`);
		if (check.problems.length) fail(400, `filter: the geometry literal is not valid: ${check.problems[0].reason}`);
		const name = `f${Object.keys(bindings).length + 1}`;
		bindings[name] = JSON.stringify(check.features[0].geometry);
		// ST_MakeValid: a self-crossing ring drawn by hand still selects what it covers, not a GEOS error.
		return `ST_Transform(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(CAST(:${name} AS text)), ${filterCrs.srid})), 4326)`;
	}

	function envelope(box: unknown[]): string {
		if (box.length !== 4 && box.length !== 6) fail(400, `filter: BBOX takes 4 or 6 numbers, got ${box.length}`);
		const n = box.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(400, 'filter: BBOX takes numbers only')));
		const [x1, y1, x2, y2] = n.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
		const [west, south, east, north] = filterCrs.latFirst ? [y1, x1, y2, x2] : [x1, y1, x2, y2];
		if (south > north) fail(400, `filter: BBOX south ${south} is greater than north ${north}`);
		if (west > east) fail(400, `filter: BBOX west ${west} is greater than east ${east}`);
		return `ST_Transform(ST_MakeEnvelope(${[west, south, east, north].map((v) => bind(v, 'number')).join(', ')}, ${filterCrs.srid}), 4326)`;
	}

	function comparable(a: Operand, b: Operand, op: string): void {
		if (a.type === 'geometry' || b.type === 'geometry') fail(400, `filter: geometries are compared with S_INTERSECTS, not ${op}`);
		if (a.type === 'null' || b.type === 'null') fail(400, `filter: compare with NULL by IS NULL, not ${op}`);
		const temporal = (t: ValueType) => t === 'date' || t === 'instant';
		if (a.type === b.type || (temporal(a.type) && temporal(b.type))) {
			if (a.type === 'boolean' && op !== '=' && op !== '<>') fail(400, `filter: ${a.property ?? 'a boolean'} can only be compared with = or <>`);
			return;
		}
		const named = a.property ?? b.property;
		const wanted = (a.property ? a : b).type;
		const hint = wanted === 'instant' ? ` (write TIMESTAMP('2026-01-01T00:00:00Z'))` : wanted === 'date' ? ` (write DATE('2026-01-01'))` : '';
		fail(400, `filter: ${named ?? 'a value'} is ${describeType(wanted)} and cannot be compared with ${describeType((a.property ? b : a).type)}${hint}`);
	}

	function args(node: Record<string, unknown>, count: number | null): unknown[] {
		const list = Array.isArray(node.args) ? node.args : fail(400, `filter: ${String(node.op)} has no arguments`);
		if (count !== null && list.length !== count) fail(400, `filter: ${String(node.op).toUpperCase()} takes ${count} arguments, got ${list.length}`);
		return list;
	}

	function predicate(node: unknown): string {
		if (++nodes > MAX_NODES) fail(400, `filter has more than ${MAX_NODES} terms`);
		if (typeof node === 'boolean') return node ? 'true' : 'false';
		if (isObject(node) && typeof node.property === 'string') fail(400, `filter: '${node.property.slice(0, 60)}' alone is not a condition; compare it, e.g. ${node.property.slice(0, 60)} = 'value'`);
		if (!isObject(node) || typeof node.op !== 'string') fail(400, `filter: ${JSON.stringify(node).slice(0, 80)} is not a condition`);
		const op = node.op.toLowerCase();
		if (op === 'and' || op === 'or') {
			const parts = args(node, null).map(predicate);
			if (parts.length < 2) fail(400, `filter: ${op.toUpperCase()} takes at least 2 conditions`);
			return `(${parts.join(op === 'and' ? ' AND ' : ' OR ')})`;
		}
		if (op === 'not') return `(NOT ${predicate(args(node, 1)[0])})`;
		if (COMPARISONS.has(op)) {
			const [a, b] = args(node, 2).map(operand);
			comparable(a, b, op);
			return `(${a.sql} ${op} ${b.sql})`;
		}
		if (op === 'isnull') {
			const a = operand(args(node, 1)[0]);
			return `(${a.sql} IS NULL)`;
		}
		if (op === 'like') {
			const [a, b] = args(node, 2).map(operand);
			if (a.type !== 'string' || b.type !== 'string') fail(400, `filter: LIKE compares text, ${a.property ?? 'the left side'} is ${describeType(a.type)}`);
			return `(${a.sql} LIKE ${b.sql})`;
		}
		if (op === 'between') {
			const [a, low, high] = args(node, 3).map(operand);
			comparable(a, low, 'BETWEEN');
			comparable(a, high, 'BETWEEN');
			return `(${a.sql} BETWEEN ${low.sql} AND ${high.sql})`;
		}
		if (op === 'in') {
			const [left, list] = args(node, 2);
			const a = operand(left);
			if (!Array.isArray(list) || list.length === 0) fail(400, 'filter: IN takes a non-empty list of values');
			if (list.length > MAX_IN) fail(400, `filter: IN takes at most ${MAX_IN} values, got ${list.length}`);
			const values = list.map(operand);
			for (const v of values) comparable(a, v, 'IN');
			return `(${a.sql} IN (${values.map((v) => v.sql).join(', ')}))`;
		}
		if (op === 's_intersects') {
			const [a, b] = args(node, 2).map(operand);
			if (a.type !== 'geometry' || b.type !== 'geometry') fail(400, `filter: S_INTERSECTS takes the ${GEOMETRY_QUERYABLE} property and a geometry (a point, BBOX(…) or a WKT polygon)`);
			return `ST_Intersects(${a.sql}, ${b.sql})`;
		}
		fail(400, `filter: ${node.op.toUpperCase()} is not supported; supported: ${SUPPORTED}`);
	}

	return { sql: predicate(tree), bindings };
}

function describeType(type: ValueType): string {
	return { string: 'text', number: 'a number', boolean: 'a boolean', date: 'a date', instant: 'a date-time', geometry: 'a geometry', null: 'NULL' }[type];
}

/** A GeoJSON geometry with each position's first two ordinates swapped (latitude-first CRSs). */
function flip(node: Record<string, unknown>): Record<string, unknown> {
	const swap = (c: unknown): unknown =>
		Array.isArray(c) && typeof c[0] === 'number' ? [c[1], c[0], ...c.slice(2)] : Array.isArray(c) ? c.map(swap) : c;
	return { ...node, coordinates: swap(node.coordinates) };
}
