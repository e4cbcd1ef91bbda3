/**
 * How far a point lies outside an outline, and which way the outline is from it: the grid
 * worker's cue "您在网格外 1.7 公里，东北方向" (issue 21). Pure: the outline is GeoJSON, the answer
 * metres on the ground and a bearing from the point to the nearest point of the outline.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { bearingDegrees, distanceMetres } from './bearing';

export interface Outside {
	/** metres on the ground to the nearest point of the outline */
	metres: number;
	/** degrees clockwise from north, from the point towards the outline */
	bearing: number;
	/** the nearest point of the outline, [lng, lat] */
	nearest: [number, number];
}

/** Whether a ring (closed, GeoJSON) holds the point: the even-odd rule on lng/lat. */
function ringHolds(ring: Position[], [x, y]: [number, number]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

/** Whether the outline holds the point (holes excepted). */
export function holds(outline: Polygon | MultiPolygon, point: [number, number]): boolean {
	const polygons = outline.type === 'Polygon' ? [outline.coordinates] : outline.coordinates;
	return polygons.some(([shell, ...holes]) => ringHolds(shell, point) && !holes.some((h) => ringHolds(h, point)));
}

/**
 * The nearest point of segment a–b to p. Done in a plane scaled by cos(latitude), which within
 * a few kilometres of a county seat errs by well under a metre.
 */
function nearestOnSegment(p: [number, number], a: Position, b: Position): [number, number] {
	const k = Math.cos((p[1] * Math.PI) / 180);
	const ax = (a[0] - p[0]) * k;
	const ay = a[1] - p[1];
	const bx = (b[0] - p[0]) * k;
	const by = b[1] - p[1];
	const dx = bx - ax;
	const dy = by - ay;
	const len = dx * dx + dy * dy;
	const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
	return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

/** Null when the outline holds the point; else how far outside it lies and which way to go. */
export function outside(outline: Polygon | MultiPolygon, point: [number, number]): Outside | null {
	if (holds(outline, point)) return null;
	const polygons = outline.type === 'Polygon' ? [outline.coordinates] : outline.coordinates;
	let best: Outside | null = null;
	for (const polygon of polygons)
		for (const ring of polygon)
			for (let i = 1; i < ring.length; i++) {
				const q = nearestOnSegment(point, ring[i - 1], ring[i]);
				const metres = distanceMetres(point, q);
				if (!best || metres < best.metres) best = { metres, bearing: bearingDegrees(point, q), nearest: q };
			}
	return best;
}
