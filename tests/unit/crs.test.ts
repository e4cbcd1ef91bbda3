import { describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import { distance } from '@turf/turf';
import type { GeometryCollection, MultiPolygon, Point } from 'geojson';
import {
	gcj02ToWgs84,
	geometryToWgs84,
	inRange,
	parseCrs,
	positionToWgs84,
	webMercatorToWgs84,
	wgs84ToGcj02,
	wgs84ToWebMercator
} from '../../src/lib/geo/crs.js';

const HEJIANG: [number, number] = [105.83, 28.81];

/** A grid of points over mainland China and Hainan, plus a few named places. */
function pointsAcrossChina(): [number, number][] {
	const points: [number, number][] = [HEJIANG, [116.397, 39.908], [121.47, 31.23], [113.26, 23.13], [87.6, 43.8], [91.1, 29.65], [126.6, 45.75], [110.35, 20.02]];
	for (let lng = 74; lng <= 134; lng += 4.37) {
		for (let lat = 18; lat <= 53; lat += 3.13) points.push([lng, lat]);
	}
	return points;
}

const metres = (a: [number, number], b: [number, number]) => distance(a, b, { units: 'meters' });

describe('parseCrs', () => {
	it.each([
		['wgs84', 'wgs84'],
		['WGS84', 'wgs84'],
		['EPSG:4326', 'wgs84'],
		['4326', 'wgs84'],
		['gcj02', 'gcj02'],
		['GCJ-02', 'gcj02'],
		['cgcs2000', 'cgcs2000'],
		['EPSG:4490', 'cgcs2000'],
		['4490', 'cgcs2000'],
		['epsg:3857', 'epsg:3857'],
		['3857', 'epsg:3857'],
		['EPSG:900913', 'epsg:3857'],
		[' wgs84 ', 'wgs84']
	])('%s -> %s', (name, crs) => {
		expect(parseCrs(name)).toBe(crs);
	});

	it.each(['', 'bd09', 'epsg:4327', 'utm48n', '3858'])('%j is unknown', (name) => {
		expect(parseCrs(name)).toBeNull();
	});

	// The alias table is an object: names of its prototype's members must not resolve.
	it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'CONSTRUCTOR', ' __proto__ '])('%j is unknown', (name) => {
		expect(parseCrs(name)).toBeNull();
	});
});

describe('GCJ-02', () => {
	it('agrees with gcoord within 1e-6° across China', () => {
		for (const p of pointsAcrossChina()) {
			const ours = wgs84ToGcj02(p);
			const ref = gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02) as [number, number];
			expect(Math.abs(ours[0] - ref[0])).toBeLessThan(1e-6);
			expect(Math.abs(ours[1] - ref[1])).toBeLessThan(1e-6);
		}
	});

	it('round-trips wgs84 → gcj02 → wgs84 to under 1 mm across China', () => {
		for (const p of pointsAcrossChina()) {
			const back = gcj02ToWgs84(wgs84ToGcj02(p));
			expect(metres(p, back)).toBeLessThan(0.001);
		}
	});

	it('round-trips gcj02 → wgs84 → gcj02 to under 1 mm', () => {
		for (const g of pointsAcrossChina()) {
			expect(metres(g, wgs84ToGcj02(gcj02ToWgs84(g)))).toBeLessThan(0.001);
		}
	});

	it('inverse agrees with gcoord within 1e-6° at Hejiang', () => {
		const g = wgs84ToGcj02(HEJIANG);
		const ref = gcoord.transform(g, gcoord.GCJ02, gcoord.WGS84) as [number, number];
		const ours = gcj02ToWgs84(g);
		expect(Math.abs(ours[0] - ref[0])).toBeLessThan(1e-6);
		expect(Math.abs(ours[1] - ref[1])).toBeLessThan(1e-6);
	});

	it('in Hejiang shifts a few hundred metres east and south (about 343 m E, 370 m S)', () => {
		const g = wgs84ToGcj02(HEJIANG);
		const east = metres(HEJIANG, [g[0], HEJIANG[1]]) * Math.sign(g[0] - HEJIANG[0]);
		const north = metres(HEJIANG, [HEJIANG[0], g[1]]) * Math.sign(g[1] - HEJIANG[1]);
		expect(east).toBeGreaterThan(250);
		expect(east).toBeLessThan(450);
		expect(north).toBeLessThan(-250);
		expect(north).toBeGreaterThan(-450);
	});

	it('is the identity outside China', () => {
		for (const p of [[2.35, 48.86], [-74.0, 40.7], [151.2, -33.87], [0, 0], [139.9, 35.7], [60, 30]] as [number, number][]) {
			expect(wgs84ToGcj02(p)).toEqual(p);
			expect(gcj02ToWgs84(p)).toEqual(p);
		}
	});
});

describe('web mercator', () => {
	it('maps known values', () => {
		expect(wgs84ToWebMercator([0, 0])).toEqual([0, 0]);
		const [x, y] = wgs84ToWebMercator([180, 85.0511287798]);
		expect(x).toBeCloseTo(20037508.34, 2);
		expect(y).toBeCloseTo(20037508.34, 1);
		const [lng, lat] = webMercatorToWgs84([20037508.342789244, 20037508.342789244]);
		expect(lng).toBeCloseTo(180, 9);
		expect(lat).toBeCloseTo(85.0511287798, 9);
		expect(webMercatorToWgs84([0, 0])).toEqual([0, 0]);
	});

	it('round-trips Hejiang to well under 1 mm', () => {
		const back = webMercatorToWgs84(wgs84ToWebMercator(HEJIANG));
		expect(metres(HEJIANG, back)).toBeLessThan(1e-6);
	});

	it('agrees with gcoord', () => {
		const ref = gcoord.transform(HEJIANG, gcoord.WGS84, gcoord.EPSG3857) as [number, number];
		const ours = wgs84ToWebMercator(HEJIANG);
		expect(ours[0]).toBeCloseTo(ref[0], 3);
		expect(ours[1]).toBeCloseTo(ref[1], 3);
	});

	it('stays finite at the poles', () => {
		const [, y] = wgs84ToWebMercator([0, 90]);
		expect(Number.isFinite(y)).toBe(true);
	});
});

describe('positionToWgs84 / geometryToWgs84', () => {
	it('drops z and treats wgs84 and cgcs2000 as the same', () => {
		expect(positionToWgs84([105.83, 28.81, 250], 'wgs84')).toEqual([105.83, 28.81]);
		expect(positionToWgs84([105.83, 28.81], 'cgcs2000')).toEqual([105.83, 28.81]);
	});

	it('converts gcj02 and 3857 positions', () => {
		expect(positionToWgs84(wgs84ToGcj02(HEJIANG), 'gcj02')[0]).toBeCloseTo(HEJIANG[0], 9);
		const merc = wgs84ToWebMercator(HEJIANG);
		const back = positionToWgs84([...merc, 12], 'epsg:3857');
		expect(back[0]).toBeCloseTo(HEJIANG[0], 9);
		expect(back[1]).toBeCloseTo(HEJIANG[1], 9);
	});

	it('converts every position of a MultiPolygon without touching the input', () => {
		const ring = [
			[105.8, 28.8],
			[105.81, 28.8],
			[105.81, 28.81],
			[105.8, 28.8]
		];
		const g: MultiPolygon = { type: 'MultiPolygon', coordinates: [[ring], [ring.map(([x, y]) => [x + 0.1, y])]], bbox: [105.8, 28.8, 105.91, 28.81] };
		const copy = structuredClone(g);
		const out = geometryToWgs84(g, 'gcj02');
		expect(g).toEqual(copy);
		expect(out.type).toBe('MultiPolygon');
		expect(out.bbox).toBeUndefined();
		expect(out.coordinates[1][0][2]).toEqual(gcj02ToWgs84([105.91, 28.81]));
		expect(out.coordinates[0][0]).toHaveLength(4);
	});

	it('converts Points and GeometryCollections', () => {
		const p: Point = { type: 'Point', coordinates: [11779206.9, 3349670.2] };
		const out = geometryToWgs84(p, 'epsg:3857');
		expect(out.coordinates[0]).toBeCloseTo(105.81442, 4);
		const gc: GeometryCollection = {
			type: 'GeometryCollection',
			geometries: [p, { type: 'LineString', coordinates: [[0, 0], [1000, 1000]] }]
		};
		const gout = geometryToWgs84(gc, 'epsg:3857');
		expect((gout.geometries[0] as Point).coordinates).toEqual(out.coordinates);
		expect(gout.geometries[1].type).toBe('LineString');
	});
});

describe('inRange', () => {
	it('checks geographic ranges', () => {
		expect(inRange([180, 90], 'wgs84')).toBe(true);
		expect(inRange([-180, -90], 'cgcs2000')).toBe(true);
		expect(inRange([180.0001, 0], 'wgs84')).toBe(false);
		expect(inRange([0, 90.5], 'gcj02')).toBe(false);
		expect(inRange([NaN, 0], 'wgs84')).toBe(false);
		expect(inRange([0], 'wgs84')).toBe(false);
	});

	it('checks web mercator ranges', () => {
		expect(inRange([20037508.3428, -20037508.3428], 'epsg:3857')).toBe(true);
		expect(inRange([11779206.9, 3349670.2], 'epsg:3857')).toBe(true);
		expect(inRange([20037508.35, 0], 'epsg:3857')).toBe(false);
		expect(inRange([0, -20037509], 'epsg:3857')).toBe(false);
		// Metres mistaken for degrees are the usual error the other way round.
		expect(inRange([11779206.9, 3349670.2], 'wgs84')).toBe(false);
	});
});
