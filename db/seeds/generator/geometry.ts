/**
 * The local metric frame of the sample and its conversion to WGS84.
 *
 * Everything is laid out in metres east (x) and north (y) of the county seat, then converted
 * with a local equirectangular projection: it is affine, so it keeps containment and ring
 * orientation, and within a few tens of kilometres it is accurate to about a metre.
 */
import type { Position } from 'geojson';

/** The Hejiang county seat (合江县城), WGS84. */
export const ORIGIN = { lng: 105.826, lat: 28.812 } as const;

const METRES_PER_DEGREE_LAT = (Math.PI / 180) * 6_371_008.8;
const METRES_PER_DEGREE_LNG = METRES_PER_DEGREE_LAT * Math.cos((ORIGIN.lat * Math.PI) / 180);

/** 7 decimals of a degree is about 1 cm: enough, and keeps files small. */
export function round7(v: number): number {
	return Math.round(v * 1e7) / 1e7;
}

export function toLngLat(x: number, y: number): Position {
	return [round7(ORIGIN.lng + x / METRES_PER_DEGREE_LNG), round7(ORIGIN.lat + y / METRES_PER_DEGREE_LAT)];
}

/** An axis-aligned rectangle in the local frame. */
export interface Rect {
	west: number;
	south: number;
	east: number;
	north: number;
}

/** Closed, counter-clockwise (RFC 7946 exterior) ring of a rectangle. */
export function rectRing(r: Rect): Position[] {
	const sw = toLngLat(r.west, r.south);
	return [sw, toLngLat(r.east, r.south), toLngLat(r.east, r.north), toLngLat(r.west, r.north), sw];
}

/**
 * Closed CCW ring of a rectangle of size w × h centred at (cx, cy) and turned by angle
 * (radians, counter-clockwise).
 */
export function rotatedRectRing(cx: number, cy: number, w: number, h: number, angle: number): Position[] {
	const cos = Math.cos(angle);
	const sin = Math.sin(angle);
	const corners: [number, number][] = [
		[-w / 2, -h / 2],
		[w / 2, -h / 2],
		[w / 2, h / 2],
		[-w / 2, h / 2]
	];
	const ring = corners.map(([dx, dy]) => toLngLat(cx + dx * cos - dy * sin, cy + dx * sin + dy * cos));
	ring.push(ring[0]);
	return ring;
}

/** Half extents of the bounding box of a w × h rectangle turned by angle. */
export function rotatedHalfExtents(w: number, h: number, angle: number): [number, number] {
	const cos = Math.abs(Math.cos(angle));
	const sin = Math.abs(Math.sin(angle));
	return [(w * cos + h * sin) / 2, (w * sin + h * cos) / 2];
}

export function expand(r: Rect, by: number): Rect {
	return { west: r.west - by, south: r.south - by, east: r.east + by, north: r.north + by };
}

export function union(a: Rect, b: Rect): Rect {
	return {
		west: Math.min(a.west, b.west),
		south: Math.min(a.south, b.south),
		east: Math.max(a.east, b.east),
		north: Math.max(a.north, b.north)
	};
}
