import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import { area, bbox, booleanClockwise, booleanPointInPolygon, booleanValid, centroid, distance } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { convertCountyOutline, formatCountyGeoJson } from '../../src/lib/geo/county.js';

const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
const sourceText = read('../../geodata/sources/hejiang-county-boundary.gcj02.json');
const committedText = read('../../geodata/hejiang-county.wgs84.geojson');
const source = JSON.parse(sourceText) as Polygon;
const committed = JSON.parse(committedText) as FeatureCollection<MultiPolygon>;
const feature = committed.features[0];
const outer = feature.geometry.coordinates[0][0];

describe('geodata/hejiang-county.wgs84.geojson', () => {
	it('is exactly what the conversion produces from the committed source (rerun npm run geodata:county)', () => {
		expect(committedText).toBe(formatCountyGeoJson(convertCountyOutline(source)));
	});

	it('has one feature with the agreed properties and a MultiPolygon', () => {
		expect(committed.type).toBe('FeatureCollection');
		expect(committed.features).toHaveLength(1);
		expect(feature.properties).toEqual({
			code: '510522',
			name: '合江县',
			source: 'Vonng/adcode data/fences/510522.json (CC BY 4.0), converted GCJ-02 → WGS84 by scripts/county.ts'
		});
		expect(feature.geometry.type).toBe('MultiPolygon');
		expect(feature.geometry.coordinates).toHaveLength(1);
		expect(feature.geometry.coordinates[0]).toHaveLength(1);
	});

	it('has coordinates with at most 7 decimals', () => {
		for (const [lng, lat] of outer) {
			expect(Math.round(lng * 1e7) / 1e7).toBe(lng);
			expect(Math.round(lat * 1e7) / 1e7).toBe(lat);
		}
	});

	it('has a counter-clockwise, closed exterior ring (RFC 7946)', () => {
		expect(booleanClockwise(outer)).toBe(false);
		expect(outer[0]).toEqual(outer[outer.length - 1]);
	});

	it('covers 2,400–2,430 km² (about 2,412 km² officially)', () => {
		const km2 = area(committed) / 1e6;
		expect(km2).toBeGreaterThan(2400);
		expect(km2).toBeLessThan(2430);
	});

	it('is a valid geometry', () => {
		expect(booleanValid(feature.geometry)).toBe(true);
	});

	it('lies where 合江县 is, around the county seat', () => {
		const [west, south, east, north] = bbox(committed);
		expect(west).toBeGreaterThan(105.4);
		expect(east).toBeLessThan(106.5);
		expect(south).toBeGreaterThan(28.35);
		expect(north).toBeLessThan(29.1);
		const [lng, lat] = centroid(committed).geometry.coordinates;
		expect(lng).toBeGreaterThan(105.7);
		expect(lng).toBeLessThan(106.1);
		expect(lat).toBeGreaterThan(28.6);
		expect(lat).toBeLessThan(28.9);
		// The county seat 合江镇, from its GCJ-02 centre in the divisions CSV, is inside.
		const seat = gcoord.transform([105.828659, 28.816837], gcoord.GCJ02, gcoord.WGS84) as [number, number];
		expect(booleanPointInPolygon(seat, feature)).toBe(true);
	});

	it('moved every vertex 300–700 m from the GCJ-02 source, matching gcoord’s inverse', () => {
		const src = source.coordinates[0];
		// Same vertices, reversed: the source ring is clockwise.
		expect(booleanClockwise(src)).toBe(true);
		expect(outer).toHaveLength(src.length);
		const reversed: Position[] = [...outer].reverse();
		let min = Infinity;
		let max = 0;
		src.forEach((g, i) => {
			const d = distance(g, reversed[i], { units: 'meters' });
			min = Math.min(min, d);
			max = Math.max(max, d);
			const ref = gcoord.transform(g as [number, number], gcoord.GCJ02, gcoord.WGS84) as [number, number];
			expect(Math.abs(reversed[i][0] - ref[0])).toBeLessThan(1e-6);
			expect(Math.abs(reversed[i][1] - ref[1])).toBeLessThan(1e-6);
		});
		expect(min).toBeGreaterThan(300);
		expect(max).toBeLessThan(700);
	});
});

describe('convertCountyOutline', () => {
	it('is deterministic and leaves its input alone', () => {
		const copy = structuredClone(source);
		const a = formatCountyGeoJson(convertCountyOutline(source));
		const b = formatCountyGeoJson(convertCountyOutline(source));
		expect(a).toBe(b);
		expect(source).toEqual(copy);
	});

	it('orients holes clockwise and rejects what is not a polygon', () => {
		const ring = (x: number, y: number, s: number) => [
			[x, y],
			[x + s, y],
			[x + s, y + s],
			[x, y + s],
			[x, y]
		];
		// Exterior given clockwise, hole given counter-clockwise: both must flip.
		const fc = convertCountyOutline({ type: 'Polygon', coordinates: [[...ring(105.8, 28.8, 0.1)].reverse(), ring(105.82, 28.82, 0.01)] });
		const [ext, hole] = fc.features[0].geometry.coordinates[0];
		expect(booleanClockwise(ext)).toBe(false);
		expect(booleanClockwise(hole)).toBe(true);
		expect(() => convertCountyOutline({ type: 'Point', coordinates: [1, 2] } as unknown as Polygon)).toThrow(/Polygon/);
	});
});
