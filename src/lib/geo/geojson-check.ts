/**
 * Structural checking of uploaded GeoJSON before anything reaches the database.
 *
 * The goal is a list of problems a person can fix in their GIS tool: every bad feature is
 * reported (not only the first), each with a sentence naming the place in the geometry.
 * Strings holding a NUL character, which PostgreSQL cannot store, are reported here too.
 * Deliberately not checked here: self-intersection and other OGC validity (PostGIS
 * ST_IsValidReason does that later, with better messages), and no coordinate conversion.
 * Pure, no I/O: runs in the browser for a preview and on the server for the import.
 */
import type { Geometry, GeoJsonProperties } from 'geojson';
import JSON5 from 'json5';
import { inRange, type Crs } from './crs.js';

export type GeometryKind =
	| 'Point'
	| 'MultiPoint'
	| 'LineString'
	| 'MultiLineString'
	| 'Polygon'
	| 'MultiPolygon'
	| 'GeometryCollection';
export interface InputFeature {
	index: number;
	geometry: Geometry;
	properties: Record<string, unknown>;
}
export interface FeatureProblem {
	index: number;
	reason: string;
}
export type ReadResult =
	| { ok: true; features: InputFeature[]; problems: FeatureProblem[] } // problems non-empty => caller rejects the file
	| { ok: false; error: string }; // the whole file is unusable (malformed JSON, not GeoJSON)

const GEOMETRY_KINDS: readonly GeometryKind[] = [
	'Point',
	'MultiPoint',
	'LineString',
	'MultiLineString',
	'Polygon',
	'MultiPolygon',
	'GeometryCollection'
];

/** How many levels of arrays each type's "coordinates" has, counting the position itself. */
const NESTING: Record<Exclude<GeometryKind, 'GeometryCollection'>, number> = {
	Point: 1,
	MultiPoint: 2,
	LineString: 2,
	MultiLineString: 3,
	Polygon: 3,
	MultiPolygon: 4
};

/**
 * A feature whose every position is broken would otherwise produce thousands of lines;
 * the first few are enough to locate the fault, the rest is summarised.
 */
const MAX_PROBLEMS_PER_FEATURE = 10;

/**
 * The most vertices one geometry may have (issue 20, point 7). The county's own outline has
 * 3,128 and a grid drawn by hand a few dozen; an outline of 200,000 vertices (7 MB) is a
 * digitising artefact, and every tile, owner lookup and territory test that touches it pays
 * for each vertex: measured, a 200,000-vertex grid (2.3 MB in PostGIS) made a z14 tile over it
 * take 155 ms to render instead of 3 ms (README, "Outlines and tiles"). Simplify such a line in
 * the GIS tool first (QGIS: Vector ▸ Geometry Tools ▸ Simplify).
 */
export const MAX_VERTICES = 20_000;

/** Parse text as GeoJSON (a Feature, a FeatureCollection or a bare geometry — a bare geometry or Feature is index 0) and check every feature. */
export function readGeoJson(text: string, opts: { allowed: GeometryKind[]; crs: Crs; maxVertices?: number }): ReadResult {
	const maxVertices = opts.maxVertices ?? MAX_VERTICES;
	const parsed = parseJson(text);
	if (!parsed.ok) return parsed;
	const root = parsed.value;

	if (!isObject(root)) {
		return { ok: false, error: `not GeoJSON: the top level is ${describe(root)}, expected an object with a "type" member` };
	}
	if (!('type' in root)) {
		return { ok: false, error: 'not GeoJSON: the top-level object has no "type" member' };
	}

	const features: InputFeature[] = [];
	const problems: FeatureProblem[] = [];
	const take = (index: number, result: FeatureCheck) => {
		if (result.reasons.length === 0 && result.feature) {
			const vertices = countVertices(result.feature.geometry);
			if (vertices > maxVertices) {
				result.reasons.push(`the geometry has ${vertices} vertices, more than the ${maxVertices} one geometry may have: simplify it first (in QGIS, Vector ▸ Geometry Tools ▸ Simplify, with a tolerance of about 0.5 m)`);
			}
		}
		if (result.reasons.length === 0 && result.feature) {
			features.push({ index, ...result.feature });
		} else {
			for (const reason of capReasons(result.reasons)) problems.push({ index, reason });
		}
	};

	if (root.type === 'FeatureCollection') {
		if (!Array.isArray(root.features)) {
			return {
				ok: false,
				error: `not GeoJSON: FeatureCollection "features" is ${describe(root.features)}, expected an array`
			};
		}
		root.features.forEach((member: unknown, index: number) => take(index, checkFeature(member, opts)));
	} else if (root.type === 'Feature') {
		take(0, checkFeature(root, opts));
	} else if (isGeometryKind(root.type)) {
		const reasons = [...checkGeometry(root, opts, ''), ...nulInGeometry(root)];
		take(0, { reasons, feature: { geometry: root as unknown as Geometry, properties: {} } });
	} else {
		return {
			ok: false,
			error: `not GeoJSON: top-level type ${JSON.stringify(root.type)} is not Feature, FeatureCollection or a geometry type`
		};
	}
	return { ok: true, features, problems };
}

/** The positions of a geometry (a ring's closing position counted, as GIS tools count vertices). */
export function countVertices(geometry: Geometry): number {
	if (geometry.type === 'GeometryCollection') return geometry.geometries.reduce((n, g) => n + countVertices(g), 0);
	const walk = (c: unknown): number => (Array.isArray(c) && typeof c[0] === 'number' ? 1 : Array.isArray(c) ? c.reduce((n: number, x: unknown) => n + walk(x), 0) : 0);
	return walk(geometry.coordinates);
}

// ---------------------------------------------------------------------------------------------
// JSON parsing
// ---------------------------------------------------------------------------------------------

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseJson(raw: string): Parsed {
	// Editors on Windows often save a byte-order mark, which JSON.parse rejects.
	const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
	if (text.trim() === '') return { ok: false, error: 'malformed JSON: the text is empty' };
	let strictError: Error;
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (e) {
		strictError = e as Error;
	}
	// GDAL, Python's json module and others write NaN / Infinity tokens; JSON5 reads them, so the
	// bad positions can be reported per feature instead of rejecting the whole file unexplained.
	try {
		return { ok: true, value: JSON5.parse(text) };
	} catch (e) {
		return { ok: false, error: `malformed JSON: ${explainParseError(text, strictError, e as Error)}` };
	}
}

/**
 * A message with line and column. V8's wording is the more helpful one but gives only a character
 * offset (or none, quoting the whole input instead); JSON5 always gives line:column. When both
 * parsers stop at the same place V8's wording is used; otherwise the file uses JSON5 syntax that
 * was accepted and the real fault is where JSON5 stopped.
 */
function explainParseError(text: string, strict: Error, lenient: Error): string {
	const json5 = lenient as Error & { lineNumber?: number; columnNumber?: number };
	const at = /\s*in JSON at position (\d+)/.exec(strict.message);
	const strictAt = at ? lineColumn(text, Number(at[1])) : null;
	if (json5.lineNumber === undefined || json5.columnNumber === undefined) {
		return strictAt ? `${strict.message.replace(at![0], '')} at line ${strictAt.line}, column ${strictAt.column}` : strict.message;
	}
	if (strictAt && strictAt.line === json5.lineNumber && strictAt.column === json5.columnNumber) {
		return `${strict.message.replace(at![0], '')} at line ${strictAt.line}, column ${strictAt.column}`;
	}
	const message = json5.message.replace(/^JSON5:\s*/, '').replace(/\s+at \d+:\d+$/, '');
	return `${message} at line ${json5.lineNumber}, column ${json5.columnNumber}`;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < offset && i < text.length; i++) {
		if (text.charCodeAt(i) === 10) {
			line++;
			lineStart = i + 1;
		}
	}
	return { line, column: offset - lineStart + 1 };
}

// ---------------------------------------------------------------------------------------------
// Features
// ---------------------------------------------------------------------------------------------

interface FeatureCheck {
	reasons: string[];
	feature?: { geometry: Geometry; properties: Record<string, unknown> };
}

function checkFeature(value: unknown, opts: { allowed: GeometryKind[]; crs: Crs }): FeatureCheck {
	if (!isObject(value)) return { reasons: [`feature is ${describe(value)}, expected a Feature object`] };
	if (value.type !== 'Feature') {
		return { reasons: [`type is ${JSON.stringify(value.type)}, expected "Feature"`] };
	}
	const reasons: string[] = [];
	// RFC 7946 requires "properties", but many tools omit it when empty; a missing member reads as {}.
	const props = value.properties;
	if (props !== undefined && props !== null && !isObject(props)) {
		reasons.push(`properties is ${describe(props)}, expected an object or null`);
	} else if (isObject(props)) {
		reasons.push(...nulInProperties(props));
	}
	if (!('geometry' in value)) {
		reasons.push('feature has no "geometry" member');
	} else if (value.geometry === null) {
		reasons.push('geometry is null');
	} else {
		reasons.push(...checkGeometry(value.geometry, opts, ''), ...nulInGeometry(value.geometry));
	}
	if (reasons.length > 0) return { reasons };
	return {
		reasons,
		feature: {
			geometry: value.geometry as Geometry,
			properties: (isObject(props) ? props : {}) as NonNullable<GeoJsonProperties>
		}
	};
}

function capReasons(reasons: string[]): string[] {
	if (reasons.length <= MAX_PROBLEMS_PER_FEATURE) return reasons;
	const rest = reasons.length - MAX_PROBLEMS_PER_FEATURE;
	return [...reasons.slice(0, MAX_PROBLEMS_PER_FEATURE), `and ${rest} more problem${rest === 1 ? '' : 's'} in this feature`];
}

// ---------------------------------------------------------------------------------------------
// Geometries
// ---------------------------------------------------------------------------------------------

/**
 * All problems of one geometry. `at` is the path of this geometry inside a GeometryCollection
 * ("" at the top, "geometries[2]." below), so nested messages still say where they are.
 */
function checkGeometry(g: unknown, opts: { allowed: GeometryKind[]; crs: Crs }, at: string): string[] {
	const where = at === '' ? 'geometry' : at.replace(/\.$/, '');
	if (!isObject(g)) return [`${where} is ${describe(g)}, expected a geometry object`];
	if (!isGeometryKind(g.type)) {
		return [`${where} type ${JSON.stringify(g.type)} is not a GeoJSON geometry type`];
	}
	const kind = g.type;
	const reasons: string[] = [];
	if (!opts.allowed.includes(kind)) {
		// Keep checking: a layer mismatch and broken coordinates are separate fixes for the user.
		reasons.push(`${at === '' ? '' : `${where} is a `}${kind} where ${listKinds(opts.allowed)} is expected`);
	}

	if (kind === 'GeometryCollection') {
		if (!Array.isArray(g.geometries)) {
			reasons.push(`${at}geometries is ${describe(g.geometries)}, expected an array`);
		} else if (g.geometries.length === 0) {
			reasons.push(at === '' ? 'geometry is empty' : `${where} is empty`);
		} else {
			g.geometries.forEach((member: unknown, i: number) => {
				reasons.push(...checkGeometry(member, opts, `${at}geometries[${i}].`));
			});
		}
		return reasons;
	}

	if (!('coordinates' in g)) {
		reasons.push(`${where} has no "coordinates" member`);
		return reasons;
	}
	const coords = g.coordinates;
	if (!Array.isArray(coords)) {
		reasons.push(`${at}coordinates is ${describe(coords)}, expected an array`);
		return reasons;
	}
	if (coords.length === 0) {
		reasons.push(at === '' ? 'geometry is empty' : `${where} is empty`);
		return reasons;
	}
	const path = `${at}coordinates`;
	// A wrong depth (a Polygon written as a MultiPolygon, say) would otherwise surface as one
	// confusing message per position; one sentence about the nesting says it all.
	const found = nestingDepth(coords);
	if (found !== null && found !== NESTING[kind]) {
		reasons.push(`${path} are nested ${found} level${found === 1 ? '' : 's'} deep; a ${kind} needs ${NESTING[kind]}`);
		return reasons;
	}
	const ctx: Ctx = { crs: opts.crs, reasons };

	// Shape rules (ring length, closure, line length) are only meaningful once the positions in
	// that part are sound, otherwise one NaN would also be reported as an "unclosed ring".
	switch (kind) {
		case 'Point':
			checkPosition(coords, path, ctx);
			break;
		case 'MultiPoint':
			checkPositionList(coords, path, ctx);
			break;
		case 'LineString':
			if (checkPositionList(coords, path, ctx)) checkLine(coords as number[][], at === '' ? 'line' : `${where} line`, ctx);
			break;
		case 'MultiLineString':
			forEachMember(coords, path, 'an array of lines', ctx, (line, p, i) => {
				if (checkPositionList(line, p, ctx)) checkLine(line as number[][], `${at === '' ? '' : `${where} `}line ${i}`, ctx);
			});
			break;
		case 'Polygon':
			checkPolygon(coords, path, at === '' ? '' : `${where} `, ctx);
			break;
		case 'MultiPolygon':
			forEachMember(coords, path, 'an array of polygons', ctx, (polygon, p, i) => {
				if (Array.isArray(polygon) && polygon.length === 0) {
					ctx.reasons.push(`${at === '' ? '' : `${where} `}polygon ${i} has no rings`);
					return;
				}
				checkPolygon(polygon, p, `${at === '' ? '' : `${where} `}polygon ${i} `, ctx);
			});
			break;
	}
	return reasons;
}

interface Ctx {
	crs: Crs;
	reasons: string[];
}

/**
 * Levels of arrays down the first members, e.g. 3 for [[[x, y], …]]; null when an empty array
 * is met first, as the depth cannot be told then (the walk reports the empty part instead).
 */
function nestingDepth(value: unknown): number | null {
	let depth = 0;
	let v = value;
	while (Array.isArray(v)) {
		if (v.length === 0) return null;
		depth++;
		v = v[0];
	}
	return depth;
}

/** Calls fn for each member of an array, or reports that the value is not an array. */
function forEachMember(
	value: unknown,
	path: string,
	expected: string,
	ctx: Ctx,
	fn: (member: unknown, path: string, i: number) => void
): void {
	if (!Array.isArray(value)) {
		ctx.reasons.push(`${path} is ${describe(value)}, expected ${expected}`);
		return;
	}
	value.forEach((member, i) => fn(member, `${path}[${i}]`, i));
}

/** Checks a polygon's rings; `label` prefixes ring messages ("" or "polygon 1 "). */
function checkPolygon(value: unknown, path: string, label: string, ctx: Ctx): void {
	forEachMember(value, path, 'an array of linear rings', ctx, (ring, p, i) => {
		if (checkPositionList(ring, p, ctx)) checkRing(ring as number[][], `${label}ring ${i}`, ctx);
	});
}

function checkRing(ring: number[][], label: string, ctx: Ctx): void {
	if (ring.length < 4) {
		ctx.reasons.push(`${label} has ${plural(ring.length, 'position')}; a linear ring needs at least 4`);
		return;
	}
	const first = ring[0];
	const last = ring[ring.length - 1];
	if (first.length !== last.length || first.some((v, k) => v !== last[k])) {
		ctx.reasons.push(`${label} is not closed: first position ${fmt(first)} differs from last ${fmt(last)}`);
	}
}

function checkLine(line: number[][], label: string, ctx: Ctx): void {
	if (line.length < 2) ctx.reasons.push(`${label} has ${plural(line.length, 'position')}; a line needs at least 2`);
}

/** Checks an array of positions; true if every position is sound. */
function checkPositionList(value: unknown, path: string, ctx: Ctx): boolean {
	if (!Array.isArray(value)) {
		ctx.reasons.push(`${path} is ${describe(value)}, expected an array of positions`);
		return false;
	}
	let sound = true;
	value.forEach((p, i) => {
		if (!checkPosition(p, `${path}[${i}]`, ctx)) sound = false;
	});
	return sound;
}

/** Checks one position: 2 or 3 finite numbers in the CRS's range; true if sound. */
function checkPosition(value: unknown, path: string, ctx: Ctx): boolean {
	if (!Array.isArray(value)) {
		// The usual cause is a wrong nesting depth, e.g. a Polygon written with MultiPolygon's brackets missing.
		ctx.reasons.push(`${path} is ${describe(value)}, expected a position [x, y]`);
		return false;
	}
	if (value.length > 0 && Array.isArray(value[0])) {
		ctx.reasons.push(`${path} is nested too deeply: expected a position [x, y], found an array of arrays`);
		return false;
	}
	if (value.length < 2 || value.length > 3) {
		ctx.reasons.push(`${path} has ${plural(value.length, 'number')}; a position needs 2 or 3`);
		return false;
	}
	let sound = true;
	value.forEach((v, k) => {
		const problem = ordinateProblem(v);
		if (problem) {
			ctx.reasons.push(`${path}[${k}] ${problem}`);
			sound = false;
		}
	});
	if (!sound) return false;
	if (!inRange(value, ctx.crs)) {
		// inRange judges the pair; test each ordinate alone to say which one is off.
		const [x, y] = value as number[];
		const names = ctx.crs === 'epsg:3857' ? (['x', 'y'] as const) : (['longitude', 'latitude'] as const);
		if (!inRange([x, 0], ctx.crs)) ctx.reasons.push(`${names[0]} ${x} is out of range ${rangeText(ctx.crs, 0)} at ${path}`);
		if (!inRange([0, y], ctx.crs)) ctx.reasons.push(`${names[1]} ${y} is out of range ${rangeText(ctx.crs, 1)} at ${path}`);
		return false;
	}
	return true;
}

/** Why a value is not a usable ordinate, or null if it is one. */
function ordinateProblem(v: unknown): string | null {
	if (typeof v === 'number') {
		if (Number.isNaN(v)) return 'is NaN';
		// JSON has no Infinity token: it comes from a literal too large for a double, or from JSON5 input.
		if (!Number.isFinite(v)) return `is not finite (${v}; a number too large for a double, such as 1e400?)`;
		return null;
	}
	if (v === null) return 'is null, expected a number';
	if (typeof v === 'string') return `is a string (${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}), expected a number`;
	return `is ${describe(v)}, expected a number`;
}

function rangeText(crs: Crs, axis: 0 | 1): string {
	if (crs === 'epsg:3857') return '[-20037508.3428, 20037508.3428]';
	return axis === 0 ? '[-180, 180]' : '[-90, 90]';
}

// ---------------------------------------------------------------------------------------------
// NUL characters
// ---------------------------------------------------------------------------------------------

const NUL = '\u0000';
const NUL_REASON = 'contains a NUL character (\\u0000), which the database cannot store';

/**
 * PostgreSQL text cannot hold U+0000, and its json type refuses to unescape one, so a NUL in a
 * property would fail the write as a database error without saying where. One reason per
 * property, naming it; nested values count for the property that holds them.
 */
function nulInProperties(props: Record<string, unknown>): string[] {
	const reasons: string[] = [];
	for (const [key, value] of Object.entries(props)) {
		if (key.includes(NUL)) reasons.push(`property name ${JSON.stringify(key)} ${NUL_REASON}`);
		else if (nulPath(value) !== null) reasons.push(`property '${key}' ${NUL_REASON}`);
	}
	return reasons;
}

/**
 * The geometry reaches the database as JSON with its foreign members, where a NUL breaks some
 * layers' statements (those that read the JSON's members) but not others: refused for all.
 */
function nulInGeometry(geometry: unknown): string[] {
	const at = nulPath(geometry);
	if (at === null) return [];
	return [`${at === '' ? 'geometry' : `geometry member '${at}'`} ${NUL_REASON}`];
}

interface Step {
	value: unknown;
	parent: Step | null;
	key: string | number;
}

/**
 * Where the first NUL inside a JSON value is, in member names and indices ("crs.name",
 * "geometries[0].note"; "" for the value itself), or null. Iterative, because parsed JSON nests
 * as deep as the file says; the path is spelled out only when a NUL is found.
 */
export function nulPath(value: unknown): string | null {
	const stack: Step[] = [{ value, parent: null, key: '' }];
	while (stack.length > 0) {
		const step = stack.pop()!;
		if (typeof step.key === 'string' && step.key.includes(NUL)) return pathOf(step);
		const v = step.value;
		if (typeof v === 'string') {
			if (v.includes(NUL)) return pathOf(step);
		} else if (Array.isArray(v)) {
			// Pushed last to first, so the first NUL in document order is the one named.
			for (let i = v.length - 1; i >= 0; i--) {
				if (typeof v[i] !== 'number') stack.push({ value: v[i], parent: step, key: i });
			}
		} else if (isObject(v)) {
			const members = Object.entries(v);
			for (let i = members.length - 1; i >= 0; i--) stack.push({ value: members[i][1], parent: step, key: members[i][0] });
		}
	}
	return null;
}

/** "a.b[2].c", with control characters escaped so the message stays one printable line. */
function pathOf(step: Step): string {
	let path = '';
	for (let s: Step | null = step; s?.parent; s = s.parent) {
		const joint = path === '' || path.startsWith('[') ? '' : '.';
		path = `${typeof s.key === 'number' ? `[${s.key}]` : s.key}${joint}${path}`;
	}
	return JSON.stringify(path).slice(1, -1);
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, any> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isGeometryKind(t: unknown): t is GeometryKind {
	return typeof t === 'string' && (GEOMETRY_KINDS as readonly string[]).includes(t);
}

/** A short description of a JSON value for messages: "a string", "null", "an array", … */
function describe(v: unknown): string {
	if (v === undefined) return 'missing';
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'an array';
	if (typeof v === 'object') return 'an object';
	if (typeof v === 'number') return `a number (${v})`;
	return `a ${typeof v}`;
}

/** "Polygon or MultiPolygon", "Point, LineString or Polygon". */
function listKinds(kinds: GeometryKind[]): string {
	if (kinds.length === 0) return 'no geometry';
	if (kinds.length === 1) return kinds[0];
	return `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fmt(p: number[]): string {
	return `[${p.join(', ')}]`;
}
