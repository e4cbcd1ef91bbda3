/**
 * One label point per area from vector-tile pieces. A polygon that crosses tile edges comes
 * as one piece per tile, and MapLibre labels every piece: a community spanning three tiles
 * showed its name three times. Grouping the pieces by code and placing one point per group
 * gives one label per area.
 */
import { area as turfArea, booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';

export interface Piece {
	properties: Record<string, unknown> | null;
	geometry: { type: string; coordinates?: unknown };
}

/**
 * The centre of the pieces' joint bbox when it falls inside one of them (it does for the
 * compact shapes of grids and communities), else a point inside the largest piece.
 */
export function labelPoints(pieces: Piece[], key = 'code'): FeatureCollection<Point> {
	const groups = new Map<string, { properties: Record<string, unknown>; polygons: Position[][][] }>();
	for (const piece of pieces) {
		const code = piece.properties?.[key];
		if (code == null) continue;
		const polygons =
			piece.geometry.type === 'Polygon'
				? [piece.geometry.coordinates as Position[][]]
				: piece.geometry.type === 'MultiPolygon'
					? (piece.geometry.coordinates as Position[][][])
					: [];
		if (polygons.length === 0) continue;
		const group = groups.get(String(code)) ?? { properties: piece.properties!, polygons: [] };
		group.polygons.push(...polygons);
		groups.set(String(code), group);
	}

	const features: Feature<Point>[] = [];
	for (const [code, { properties, polygons }] of groups) {
		let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
		for (const ring of polygons.map((p) => p[0])) {
			for (const [x, y] of ring) {
				w = Math.min(w, x);
				e = Math.max(e, x);
				s = Math.min(s, y);
				n = Math.max(n, y);
			}
		}
		const centre: Position = [(w + e) / 2, (s + n) / 2];
		const asPolygon = (coordinates: Position[][]): Feature<Polygon> => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates } });
		let point = polygons.some((p) => booleanPointInPolygon(centre, asPolygon(p))) ? centre : null;
		if (!point) {
			const largest = polygons.reduce((best, p) => (turfArea(asPolygon(p)) > turfArea(asPolygon(best)) ? p : best));
			point = pointOnFeature(asPolygon(largest)).geometry.coordinates;
		}
		features.push({ type: 'Feature', id: code, properties: { ...properties }, geometry: { type: 'Point', coordinates: point } });
	}
	return { type: 'FeatureCollection', features };
}
