/**
 * Coordinate reference systems the importer accepts, and conversion of positions to WGS84.
 *
 * Everything the database stores is WGS84 [lng, lat] (EPSG:4326), so conversion only ever goes
 * *to* WGS84 from the other systems; the reverse transforms exist for tests and map display.
 * Pure functions, no I/O: used by the browser (preview of an upload) and by the server (import).
 */
import type { Geometry, Position } from 'geojson';

export type Crs = 'wgs84' | 'gcj02' | 'cgcs2000' | 'epsg:3857';

/**
 * The names a CRS may be given by (import --crs, boundary uploads). A Map rather than an object
 * literal, so a lookup never reaches Object.prototype: `constructor` or `__proto__` is no CRS.
 */
const ALIASES: ReadonlyMap<string, Crs> = new Map<string, Crs>([
	['wgs84', 'wgs84'],
	['epsg:4326', 'wgs84'],
	['4326', 'wgs84'],
	['gcj02', 'gcj02'],
	['gcj-02', 'gcj02'],
	['cgcs2000', 'cgcs2000'],
	['epsg:4490', 'cgcs2000'],
	['4490', 'cgcs2000'],
	['epsg:3857', 'epsg:3857'],
	['3857', 'epsg:3857'],
	// The unofficial "Google" code that older tools still write for the same projection.
	['epsg:900913', 'epsg:3857']
]);

/** Accepts case-insensitive aliases: wgs84, epsg:4326, 4326, gcj02, gcj-02, cgcs2000, epsg:4490, 4490, epsg:3857, 3857, epsg:900913; null if unknown. */
export function parseCrs(name: string): Crs | null {
	if (typeof name !== 'string') return null;
	return ALIASES.get(name.trim().toLowerCase()) ?? null;
}

// ---------------------------------------------------------------------------------------------
// GCJ-02 ("Mars coordinates"), the obfuscated datum Chinese map providers (Amap, Tencent) use.
// It is not a real projection: WGS84 plus a deterministic, smooth offset of a few hundred metres
// computed on the Krasovsky ellipsoid. The forward formula is public knowledge; there is no
// closed-form inverse, hence the iteration in gcj02ToWgs84.
// ---------------------------------------------------------------------------------------------

/** Semi-major axis of the Krasovsky 1940 ellipsoid, which the offset formula is defined on. */
const KRASOVSKY_A = 6378245.0;
/** Its first eccentricity squared. */
const KRASOVSKY_EE = 0.00669342162296594323;

/** The offset is applied only inside this box; elsewhere GCJ-02 equals WGS84. */
function insideChinaBox(lng: number, lat: number): boolean {
	return lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/** Latitude component of the offset, in "metres before ellipsoid scaling", for x = lng-105, y = lat-35. */
function offsetLat(x: number, y: number): number {
	const { PI, sin, sqrt, abs } = Math;
	let d = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
	d += ((20 * sin(6 * PI * x) + 20 * sin(2 * PI * x)) * 2) / 3;
	d += ((20 * sin(PI * y) + 40 * sin((PI * y) / 3)) * 2) / 3;
	d += ((160 * sin((PI * y) / 12) + 320 * sin((PI * y) / 30)) * 2) / 3;
	return d;
}

/** Longitude component of the offset, same units and arguments as offsetLat. */
function offsetLng(x: number, y: number): number {
	const { PI, sin, sqrt, abs } = Math;
	let d = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
	d += ((20 * sin(6 * PI * x) + 20 * sin(2 * PI * x)) * 2) / 3;
	d += ((20 * sin(PI * x) + 40 * sin((PI * x) / 3)) * 2) / 3;
	d += ((150 * sin((PI * x) / 12) + 300 * sin((PI * x) / 30)) * 2) / 3;
	return d;
}

/** [dLng, dLat] in degrees that GCJ-02 adds to a WGS84 position inside China. */
function gcjDelta(lng: number, lat: number): [number, number] {
	const x = lng - 105;
	const y = lat - 35;
	const radLat = (lat * Math.PI) / 180;
	const s = Math.sin(radLat);
	const w = 1 - KRASOVSKY_EE * s * s;
	const sqrtW = Math.sqrt(w);
	// Convert the metre-like offsets to degrees with the meridian and parallel radii of curvature.
	const meridianRadius = (KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (w * sqrtW);
	const parallelRadius = (KRASOVSKY_A / sqrtW) * Math.cos(radLat);
	const dLat = (offsetLat(x, y) * 180) / (meridianRadius * Math.PI);
	const dLng = (offsetLng(x, y) * 180) / (parallelRadius * Math.PI);
	return [dLng, dLat];
}

export function wgs84ToGcj02(p: [number, number]): [number, number] {
	const [lng, lat] = p;
	if (!insideChinaBox(lng, lat)) return [lng, lat];
	const [dLng, dLat] = gcjDelta(lng, lat);
	return [lng + dLng, lat + dLat];
}

/** Convergence threshold of the inverse, in degrees (1e-10° is about 0.01 mm). */
const INVERSE_TOLERANCE = 1e-10;
/** The offset changes by well under 1e-4 per degree, so each step gains ~4 digits; this cap is never reached in practice. */
const INVERSE_MAX_STEPS = 30;

/** Inverse by fixed-point iteration until < 1e-10°, so the round trip is sub-millimetre. */
export function gcj02ToWgs84(p: [number, number]): [number, number] {
	const [gLng, gLat] = p;
	if (!insideChinaBox(gLng, gLat)) return [gLng, gLat];
	// Solve f(w) = g with w ← w - (f(w) - g): the offset varies so slowly that this contracts fast.
	let lng = gLng;
	let lat = gLat;
	for (let step = 0; step < INVERSE_MAX_STEPS; step++) {
		const [fLng, fLat] = wgs84ToGcj02([lng, lat]);
		const eLng = fLng - gLng;
		const eLat = fLat - gLat;
		lng -= eLng;
		lat -= eLat;
		if (Math.abs(eLng) < INVERSE_TOLERANCE && Math.abs(eLat) < INVERSE_TOLERANCE) break;
	}
	return [lng, lat];
}

// ---------------------------------------------------------------------------------------------
// Web Mercator (EPSG:3857): spherical Mercator on the WGS84 semi-major axis, metres.
// ---------------------------------------------------------------------------------------------

const MERCATOR_R = 6378137;
/** The latitude where y equals the x extent π·R (20037508.34 m), i.e. the square world of web maps. */
const MERCATOR_MAX_LAT = 85.0511287798066;

export function webMercatorToWgs84(p: [number, number]): [number, number] {
	const [x, y] = p;
	const lng = (x / MERCATOR_R) * (180 / Math.PI);
	const lat = (2 * Math.atan(Math.exp(y / MERCATOR_R)) - Math.PI / 2) * (180 / Math.PI);
	return [lng, lat];
}

export function wgs84ToWebMercator(p: [number, number]): [number, number] {
	const [lng, lat] = p;
	// The poles project to infinity; clamp like every web map so the result stays finite.
	const clamped = Math.max(-MERCATOR_MAX_LAT, Math.min(MERCATOR_MAX_LAT, lat));
	const x = MERCATOR_R * ((lng * Math.PI) / 180);
	// atanh(sin φ) equals the textbook ln(tan(π/4 + φ/2)) but gives exactly 0 on the equator,
	// where the tan form leaves a -7e-10 m residue from rounding π/4.
	const y = MERCATOR_R * Math.atanh(Math.sin((clamped * Math.PI) / 180));
	return [x, y];
}

// ---------------------------------------------------------------------------------------------
// Whole positions and geometries
// ---------------------------------------------------------------------------------------------

/** [lng, lat] in WGS84 from a position in crs; extra ordinates (z) are dropped. */
export function positionToWgs84(p: number[], crs: Crs): [number, number] {
	const xy: [number, number] = [p[0], p[1]];
	switch (crs) {
		case 'wgs84':
		// CGCS2000 and WGS84 differ by centimetres, far below what a grid map resolves.
		case 'cgcs2000':
			return xy;
		case 'gcj02':
			return gcj02ToWgs84(xy);
		case 'epsg:3857':
			return webMercatorToWgs84(xy);
	}
}

/** Recursively converts a coordinates array of any nesting depth. */
function convertCoordinates(c: unknown, crs: Crs): unknown {
	if (!Array.isArray(c)) return c;
	// A position is the innermost array: its members are numbers, not arrays.
	if (c.length > 0 && !Array.isArray(c[0])) return positionToWgs84(c as Position, crs);
	return c.map((child) => convertCoordinates(child, crs));
}

/** A new geometry (any GeoJSON geometry type incl. GeometryCollection) with every position converted. */
export function geometryToWgs84<G extends Geometry>(g: G, crs: Crs): G {
	// A bbox in the source CRS would be wrong after conversion, so it is left out rather than kept stale.
	const { bbox: _bbox, ...rest } = g as G & { bbox?: unknown };
	if (g.type === 'GeometryCollection') {
		return { ...rest, geometries: g.geometries.map((member) => geometryToWgs84(member, crs)) } as unknown as G;
	}
	return {
		...rest,
		coordinates: convertCoordinates((g as Exclude<Geometry, { type: 'GeometryCollection' }>).coordinates, crs)
	} as unknown as G;
}

/** Whether a position in this crs is in its valid range (lng/lat ±180/±90 for geographic; ±20037508.3428 for 3857). */
export function inRange(p: number[], crs: Crs): boolean {
	if (!Array.isArray(p) || p.length < 2) return false;
	const [x, y] = p;
	if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
	if (crs === 'epsg:3857') {
		// Rounded up at the 4th decimal so the exact world edge, as written by tools, still counts as inside.
		return Math.abs(x) <= 20037508.3428 && Math.abs(y) <= 20037508.3428;
	}
	return Math.abs(x) <= 180 && Math.abs(y) <= 90;
}
