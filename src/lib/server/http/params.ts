/**
 * Reading request parameters — query strings, path segments and JSON bodies — for every
 * endpoint. Each reader returns a value of the right type or throws a 400 (ApiError) whose
 * message names the field and says what was expected. Strings never carry NUL (PostgreSQL
 * cannot store it), numbers are plain decimals (no `0x69`, no `Infinity`), dates exist on
 * the calendar, ids fit PostgreSQL's integer, and lookups never reach Object.prototype.
 */
import { fail } from '../platform/errors.js';
import { parseCrs, type Crs } from '../../geo/crs.js';
import { nulPath } from '../../geo/geojson-check.js';
import { isCalendarDay } from '../../domain/work-calendar.js';

/** Whether a YYYY-MM-DD day exists: the calendar's rule (domain/work-calendar.ts), here beside the readers that apply it. */
export { isCalendarDay };

export type Bbox = [number, number, number, number];

/** Longest free text a query or body field may carry, unless a reader says otherwise. */
export const MAX_TEXT = 2000;
/** Longest code (of an area, issue, person …) in a path or body. */
export const MAX_CODE = 100;
/** PostgreSQL's integer: ids above it cannot exist. */
export const MAX_ID = 2_147_483_647;
/** JSON bodies nest at most this deep (GeoJSON needs 7); deeper is refused before parsing. */
export const MAX_JSON_DEPTH = 32;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const WHOLE = /^[+-]?\d+$/;

/** A value as a message quotes it: in single quotes, cut short when long. */
const quote = (raw: string) => `'${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}'`;

/**
 * A number as PostgreSQL can compute with it: a subnormal such as 5e-324 reads as 0 — it is
 * far below any precision a coordinate has, and radians() of it fails with "underflow".
 */
export function normalNumber(value: number): number {
	return Math.abs(value) < 1e-300 ? 0 : value;
}

/** A string as a field may hold it: no NUL, at most `max` characters. */
export function checkText(name: string, value: string, max = MAX_TEXT): string {
	if (value.includes('\u0000')) fail(400, `${name} must not contain a NUL character`);
	if (value.length > max) fail(400, `${name} must be at most ${max} characters, got ${value.length}`);
	return value;
}

/** Whether `values` holds `value` as one of its own entries (never a prototype key). */
function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
	return (values as readonly string[]).includes(value);
}

// ---------------------------------------------------------------- query strings

/** An optional text parameter; undefined when absent or empty. */
export function queryText(query: URLSearchParams, name: string, max = MAX_TEXT): string | undefined {
	const raw = query.get(name);
	if (raw === null || raw === '') return undefined;
	return checkText(name, raw, max);
}

/** A whole number in [min, max]; `fallback` when absent or empty. */
export function queryInt(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
	const raw = query.get(name);
	if (raw === null || raw === '') return fallback;
	const value = Number(raw);
	if (!WHOLE.test(raw) || value < min || value > max) fail(400, `${name} must be a whole number from ${min} to ${max}, got ${quote(raw)}`);
	return value;
}

/** A required decimal number in [min, max]. */
export function queryNumber(query: URLSearchParams, name: string, min: number, max: number): number {
	const raw = query.get(name);
	if (raw === null || raw.trim() === '') fail(400, `${name} is required`);
	if (!DECIMAL.test(raw)) fail(400, `${name} must be a number, got ${quote(raw)}`);
	const value = normalNumber(Number(raw));
	if (!Number.isFinite(value)) fail(400, `${name} must be a finite number, got ${quote(raw)}`);
	if (value < min || value > max) fail(400, `${name} ${value} is out of range [${min}, ${max}]`);
	return value;
}

/** One of a fixed set of values; undefined when absent or empty. */
export function queryOneOf<T extends string>(query: URLSearchParams, name: string, values: readonly T[]): T | undefined {
	const raw = query.get(name);
	if (raw === null || raw === '') return undefined;
	if (!isOneOf(values, raw)) fail(400, `${name} ${quote(raw)} is not one of ${values.join(', ')}`);
	return raw;
}

/** A calendar day YYYY-MM-DD; undefined when absent or empty. */
export function queryDate(query: URLSearchParams, name: string): string | undefined {
	const raw = query.get(name);
	if (raw === null || raw === '') return undefined;
	if (!isCalendarDay(raw)) fail(400, `${name} ${quote(raw)} must be a date YYYY-MM-DD that exists`);
	return raw;
}

/** A month YYYY-MM (2026-01 … 2999-12); undefined when absent or empty. */
export function queryMonth(query: URLSearchParams, name: string): string | undefined {
	const raw = query.get(name);
	if (raw === null || raw === '') return undefined;
	const m = /^(\d{4})-(\d{2})$/.exec(raw);
	if (!m || Number(m[1]) < 1900 || Number(m[1]) > 2999 || Number(m[2]) < 1 || Number(m[2]) > 12) fail(400, `${name} ${quote(raw)} must be a month YYYY-MM`);
	return raw;
}

/** `bbox=w,s,e,n`: four decimals in WGS84 range, west < east and south < north. */
export function queryBbox(query: URLSearchParams, name = 'bbox'): Bbox {
	const raw = query.get(name);
	if (!raw) fail(400, `${name}=w,s,e,n is required`);
	const parts = raw.split(',').map((v) => v.trim());
	if (parts.length !== 4 || !parts.every((v) => DECIMAL.test(v))) fail(400, `${name} ${quote(raw)} must be four decimal numbers w,s,e,n`);
	const [w, s, e, n] = parts.map((v) => normalNumber(Number(v)));
	if (w < -180 || e > 180 || s < -90 || n > 90) fail(400, `${name} ${quote(raw)} is out of range`);
	if (w >= e || s >= n) fail(400, `${name} ${quote(raw)} must have west < east and south < north`);
	return [w, s, e, n];
}

/** A coordinate system name (wgs84, gcj02, cgcs2000, epsg:3857); wgs84 when absent. */
export function readCrs(name: string, raw: unknown): Crs {
	if (raw === undefined || raw === null || raw === '') return 'wgs84';
	const crs = typeof raw === 'string' ? parseCrs(raw) : null;
	if (!crs) fail(400, `${name} ${quote(String(raw))} is not known; use wgs84, gcj02, cgcs2000 or epsg:3857`);
	return crs;
}

// ---------------------------------------------------------------- path segments

/** A code in the path (an area's, an issue's, a person's): text without NUL or slash. */
export function pathCode(params: Record<string, string>, name: string): string {
	const raw = params[name] ?? '';
	if (raw === '') fail(400, `${name} is required`);
	checkText(name, raw, MAX_CODE);
	return raw;
}

/** A numeric id in the path: a whole number from 1 to PostgreSQL's largest integer. */
export function pathId(params: Record<string, string>, name: string): number {
	const raw = params[name] ?? '';
	if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_ID) fail(400, `${name} must be a whole number from 1 to ${MAX_ID}, got ${quote(raw)}`);
	return Number(raw);
}

/** One of a fixed set of values in the path. */
export function pathOneOf<T extends string>(params: Record<string, string>, name: string, values: readonly T[], what = name): T {
	const raw = params[name] ?? '';
	if (!isOneOf(values, raw)) fail(400, `unknown ${what} ${quote(raw)}; known: ${values.join(', ')}`);
	return raw;
}

// ---------------------------------------------------------------- JSON bodies

export type JsonObject = Record<string, unknown>;

/** How deep brackets nest in JSON text, outside strings; stops counting past `limit`. */
function nesting(text: string, limit: number): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92 /* \ */) i++;
			else if (c === 34 /* " */) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 91 /* [ */ || c === 123 /* { */) {
			if (++depth > deepest && (deepest = depth) > limit) return deepest;
		} else if (c === 93 || c === 125) depth--;
	}
	return deepest;
}

/**
 * A JSON object from a request body: `shape` says what the body should look like, for the
 * message when it is not JSON, not an object, nested deeper than MAX_JSON_DEPTH or holding
 * a NUL character in any string (the message names where).
 */
export function parseJsonObject(bytes: Uint8Array, shape: string): JsonObject {
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
	if (nesting(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) fail(400, `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		fail(400, `the body must be JSON: ${shape}`);
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) fail(400, `the body must be a JSON object: ${shape}`);
	const nul = nulPath(value);
	if (nul !== null) fail(400, `${nul || 'the body'} must not contain a NUL character`);
	return value as JsonObject;
}

/** A required non-empty string field (trimmed), at most `max` characters. */
export function bodyText(body: JsonObject, name: string, opts: { max?: number; hint?: string } = {}): string {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (typeof value !== 'string' || value.trim() === '') fail(400, `${name} is required${opts.hint ? `: ${opts.hint}` : ''}`);
	return checkText(name, value.trim(), opts.max ?? MAX_TEXT);
}

/** An optional string field; undefined when absent, null or empty. */
export function bodyOptionalText(body: JsonObject, name: string, max = MAX_TEXT): string | undefined {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') fail(400, `${name} must be a string`);
	return checkText(name, value, max);
}

/** A required code field. */
export function bodyCode(body: JsonObject, name: string): string {
	return bodyText(body, name, { max: MAX_CODE });
}

/** One of a fixed set of values. */
export function bodyOneOf<T extends string>(body: JsonObject, name: string, values: readonly T[]): T {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (typeof value !== 'string' || !isOneOf(values, value)) fail(400, `${name} must be one of ${values.join(', ')}`);
	return value;
}

/** A calendar day YYYY-MM-DD; `fallback` when absent, null or empty. */
export function bodyDate(body: JsonObject, name: string, fallback?: string): string {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if ((value === undefined || value === null || value === '') && fallback !== undefined) return fallback;
	if (typeof value !== 'string' || !isCalendarDay(value)) fail(400, `${name} must be a date YYYY-MM-DD that exists`);
	return value;
}

/** Today as YYYY-MM-DD (UTC), the default of effective and valid-from dates. */
export function today(): string {
	return new Date().toISOString().slice(0, 10);
}

/** A required finite number field within [min, max]. */
export function bodyNumber(body: JsonObject, name: string, min: number, max: number): number {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (typeof value !== 'number' || !Number.isFinite(value)) fail(400, `${name} must be a number`);
	if (value < min || value > max) fail(400, `${name} must be between ${min} and ${max}, got ${value}`);
	return normalNumber(value);
}

/** A required whole-number field within [min, max] (hours, counts: 1.5 is refused, not rounded). */
export function bodyWholeNumber(body: JsonObject, name: string, min: number, max: number): number {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		fail(400, `${name} must be a whole number from ${min} to ${max}, got ${value === undefined ? 'nothing' : quote(JSON.stringify(value))}`);
	}
	return value;
}

/** An optional boolean field: false when absent. */
export function bodyFlag(body: JsonObject, name: string): boolean {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (value === undefined || value === null) return false;
	if (typeof value !== 'boolean') fail(400, `${name} must be true or false`);
	return value;
}

/** An optional list of strings (codes, tokens) of at most `max` entries. */
export function bodyTextList(body: JsonObject, name: string, max: number): string[] {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) fail(400, `${name} must be a list`);
	if (value.length > max) fail(400, `${name} may hold at most ${max} entries, got ${value.length}`);
	return value.map((v, i) => {
		if (typeof v !== 'string' || v === '') fail(400, `${name}[${i}] must be a non-empty string`);
		return checkText(`${name}[${i}]`, v, MAX_CODE);
	});
}

/**
 * Text meant to be read as text: markup is refused with the field named, not stored for
 * some later page to render (a description that says `<script>` is someone testing us).
 */
export function checkPlainText(name: string, value: string): string {
	const tag = /<\s*\/?\s*[a-zA-Z!][^>]*>?/.exec(value);
	if (tag) fail(400, `${name} must be plain text; it contains markup (${tag[0].slice(0, 40)})`);
	return value;
}

/** An optional instant (ISO 8601 with a zone) no later than an hour from now (later than now is taken as now) and not before `earliest`. */
export function bodyInstant(body: JsonObject, name: string, earliest: Date): Date | undefined {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
		fail(400, `${name} must be an instant such as 2026-11-30T09:30:00+08:00`);
	}
	const at = new Date(value);
	if (Number.isNaN(at.getTime())) fail(400, `${name} ${value} is not a real instant`);
	// A phone's clock may run ahead: up to an hour is taken as now (a record kept offline is not
	// lost to it), beyond that it is an error the caller must see.
	if (at.getTime() > Date.now() + 60 * 60_000) fail(400, `${name} ${value} is in the future`);
	if (at < earliest) fail(400, `${name} ${value} is earlier than ${earliest.toISOString()}`);
	return at.getTime() > Date.now() ? new Date() : at;
}

// ---------------------------------------------------------------- OGC API – Features parameters

/** A box in a CRS's own axis order turned into west, south, east, north; `crosses` when it spans the antimeridian. */
export interface OgcBox {
	west: number;
	south: number;
	east: number;
	north: number;
	crosses: boolean;
}

/**
 * OGC API – Features `bbox`: 4 or 6 decimals (a 3D box's heights are ignored), in the axis
 * order of `crs` (lat/lon for latitude-first CRSs). In a geographic CRS a west greater than
 * east is a box across the antimeridian only when it really straddles it (west east of 0°,
 * east west of it): 106,28,105,29 is a typing slip, not a box round the world, and is refused.
 */
export function queryOgcBbox(query: URLSearchParams, name: string, crs: { latFirst: boolean; geographic: boolean; uri: string }): OgcBox | undefined {
	const raw = query.get(name);
	if (raw === null || raw === '') return undefined;
	const parts = raw.split(',').map((v) => v.trim());
	if ((parts.length !== 4 && parts.length !== 6) || !parts.every((v) => DECIMAL.test(v)))
		fail(400, `${name} ${quote(raw)} must be 4 (or 6) decimal numbers: lower corner, then upper corner`);
	const n = parts.map((v) => normalNumber(Number(v)));
	const [a1, b1, a2, b2] = parts.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
	const [west, south, east, north] = crs.latFirst ? [b1, a1, b2, a2] : [a1, b1, a2, b2];
	if (crs.geographic) {
		if (west < -180 || west > 180 || east < -180 || east > 180) fail(400, `${name} ${quote(raw)}: longitude out of range [-180, 180]`);
		if (south < -90 || north > 90) fail(400, `${name} ${quote(raw)}: latitude out of range [-90, 90]`);
	} else if (![west, south, east, north].every((v) => Math.abs(v) <= 20_037_508.35)) fail(400, `${name} ${quote(raw)} is outside the extent of ${crs.uri}`);
	if (south > north) fail(400, `${name} ${quote(raw)}: south ${south} is greater than north ${north}`);
	const crosses = west > east && crs.geographic && west > 0 && east < 0;
	if (west > east && !crosses) fail(400, `${name} ${quote(raw)}: west ${west} is greater than east ${east}, and the box does not cross the antimeridian (180°)`);
	return { west, south, east, north, crosses };
}

/** `datetime`: an instant, or an interval `start/end` with `..` (or nothing) for an open end; RFC 3339 date-times or dates. */
export function queryDatetime(query: URLSearchParams, name = 'datetime'): { start: string | null; end: string | null } | undefined {
	const raw = query.get(name);
	if (raw === null || raw === '') return undefined;
	const instant = (text: string): string | null => {
		if (text === '..' || text === '') return null;
		const ok = /^\d{4}-\d{2}-\d{2}([Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))?$/.test(text) && isCalendarDay(text.slice(0, 10)) && !Number.isNaN(Date.parse(text));
		if (!ok) fail(400, `${name} ${quote(raw)}: ${quote(text)} is not an RFC 3339 date-time (2026-05-01T00:00:00Z) or date`);
		return text;
	};
	const pieces = raw.split('/');
	if (pieces.length > 2) fail(400, `${name} ${quote(raw)} must be an instant or start/end`);
	if (pieces.length === 1) {
		if (pieces[0] === '..') fail(400, `${name} '..' is only allowed as one end of an interval`);
		const at = instant(pieces[0]);
		return { start: at, end: at };
	}
	const [start, end] = pieces.map(instant);
	if (start === null && end === null) fail(400, `${name} ${quote(raw)}: an interval needs at least one end`);
	if (start !== null && end !== null && Date.parse(start) > Date.parse(end)) fail(400, `${name} ${quote(raw)}: the start is after the end`);
	return { start, end };
}
