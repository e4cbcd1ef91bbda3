/**
 * owner(point) on PostGIS against an independent turf computation on 10,000 points over the
 * sample: random points (some outside every grid), building centres, and grid vertices —
 * points on shared edges, which belong to every area they touch, the lowest code winning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bbox as turfBbox, booleanPointInPolygon, distance, pointToPolygonDistance } from '@turf/turf';
import type { Feature, MultiPolygon } from 'geojson';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as ownership from '../../src/lib/server/ownership/ownership.js';
import { parseJson } from '../../src/lib/server/platform/json-text.js';
import { LEVEL_TABLE } from '../../src/lib/server/platform/tables.js';

type Area = Feature<MultiPolygon, { code: string; parent: string | null }> & { box: number[] };
const LEVELS = ['building', 'compound', 'grid', 'community', 'street'] as const;

let t: TestDatabase;
const areas = {} as Record<(typeof LEVELS)[number], Area[]>;

beforeAll(async () => {
	t = await createTestDatabase('sample');
	// Punch a 60 m hole into one grid (a pond, say) so points in holes are tested too.
	await t.db.knex.raw(`UPDATE grids SET geom = ST_Multi(ST_Difference(geom, ST_Buffer(ST_PointOnSurface(geom), 0.0003, 2)))
		WHERE code = (SELECT code FROM grids ORDER BY code OFFSET 40 LIMIT 1)`);
	const parentOf = { building: 'NULL', compound: 'NULL', grid: '(SELECT code FROM communities c WHERE c.id = t.community_id)', community: '(SELECT code FROM streets s WHERE s.id = t.street_id)', street: 'NULL' };
	for (const level of LEVELS) {
		const { rows } = await t.db.knex.raw(`SELECT code, ${parentOf[level]} AS parent, ST_AsGeoJSON(geom) AS g FROM ?? t ORDER BY code`, [LEVEL_TABLE[level]]);
		areas[level] = rows.map((r: { code: string; parent: string | null; g: string }) => {
			const f = { type: 'Feature', properties: { code: r.code, parent: r.parent }, geometry: JSON.parse(r.g) } as Area;
			f.box = turfBbox(f);
			return f;
		});
	}
});
afterAll(async () => {
	await t?.drop();
});

/** A small deterministic PRNG, so a failure can be replayed. */
function mulberry32(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

/** Within the area's bounding box, edges included: outside it no point is in the area. */
const inBox = (p: [number, number], a: Area) => p[0] >= a.box[0] && p[0] <= a.box[2] && p[1] >= a.box[1] && p[1] <= a.box[3];

function containing(level: (typeof LEVELS)[number], p: [number, number]): Area | null {
	const hits = areas[level].filter((a) => inBox(p, a) && booleanPointInPolygon(p, a));
	return hits.sort((a, b) => (a.properties.code < b.properties.code ? -1 : 1))[0] ?? null;
}

/**
 * The grid nearest a point outside every grid, by turf's distance, the lowest code among
 * equals — what sorting every grid by its distance gives. Turf's distance (to the nearest
 * point of the outline, every one of which lies in the grid's bounding box) is computed only
 * for grids whose box is near enough to hold a nearer or equal one: the box's distance, less
 * 1% and a metre for the difference of the two measures, never exceeds the grid's. On 10,000
 * points this was most of the file's CPU.
 */
function nearestGrid(p: [number, number]): { g: Area; d: number } {
	const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
	const bound = (g: Area) => Math.max(0, 0.99 * distance(p, [clamp(p[0], g.box[0], g.box[2]), clamp(p[1], g.box[1], g.box[3])], { units: 'meters' }) - 1);
	let best: { g: Area; d: number } | null = null;
	for (const { g, lb } of areas.grid.map((g) => ({ g, lb: bound(g) })).sort((a, b) => a.lb - b.lb)) {
		if (best && lb > best.d) break;
		const d = pointToPolygonDistance(p, g, { units: 'meters' });
		if (!best || d < best.d || (d === best.d && g.properties.code < best.g.properties.code)) best = { g, d };
	}
	return best!;
}

function points(n: number): [number, number][] {
	const random = mulberry32(20261127);
	const [w, s, e, north] = areas.street.map((a) => a.box).reduce((m, b) => [Math.min(m[0], b[0]), Math.min(m[1], b[1]), Math.max(m[2], b[2]), Math.max(m[3], b[3])]);
	const margin = 0.006; // ~600 m: some points fall near the town, some far outside
	const vertices = areas.grid.flatMap((g) => g.geometry.coordinates[0][0].slice(0, -1)) as [number, number][];
	const holed = areas.grid.find((g) => g.geometry.coordinates[0].length > 1)!;
	const hole = holed.geometry.coordinates[0][1];
	const holeBox = [Math.min(...hole.map((p) => p[0])), Math.min(...hole.map((p) => p[1])), Math.max(...hole.map((p) => p[0])), Math.max(...hole.map((p) => p[1]))];
	const out: [number, number][] = [];
	for (let i = 0; i < n; i++) {
		const r = random();
		if (r < 0.05) out.push([holeBox[0] + random() * (holeBox[2] - holeBox[0]), holeBox[1] + random() * (holeBox[3] - holeBox[1])]);
		else if (r < 0.6) out.push([w - margin + random() * (e - w + 2 * margin), s - margin + random() * (north - s + 2 * margin)]);
		else if (r < 0.8) {
			const b = areas.building[Math.floor(random() * areas.building.length)];
			out.push([(b.box[0] + b.box[2]) / 2, (b.box[1] + b.box[3]) / 2]);
		} else out.push(vertices[Math.floor(random() * vertices.length)]);
	}
	return out;
}

describe('owner(point)', () => {
	it('agrees with turf on 10,000 points: every level, fallback and county queue', async () => {
		const pts = points(10_000);
		const results = (await ownership.owners(t.db.knex, pts, { scope: { kind: 'outlines' } })).map((o) => parseJson(o));
		expect(results).toHaveLength(pts.length);
		const tally = { inside: 0, fallback: 0, queue: 0, edge: 0, hole: 0 };
		const holed = areas.grid.find((g) => g.geometry.coordinates[0].length > 1)!;
		results.forEach((owner, i) => {
			const p = pts[i];
			expect(owner.point).toEqual(p);
			for (const level of ['building', 'compound'] as const) {
				expect(owner[level]?.code ?? null, `${level} at ${p}`).toBe(containing(level, p)?.properties.code ?? null);
			}
			const grid = containing('grid', p);
			if (grid) {
				tally.inside++;
				if (areas.grid.filter((g) => inBox(p, g) && booleanPointInPolygon(p, g)).length > 1) tally.edge++;
				expect(owner.grid?.code, `grid at ${p}`).toBe(grid.properties.code);
				expect(owner.fallback).toBe(false);
				expect(owner.community?.code).toBe(containing('community', p)?.properties.code);
				expect(owner.street?.code).toBe(containing('street', p)?.properties.code);
				return;
			}
			// Outside every grid: the nearest grid within 200 m, else the county queue. Distances
			// near the threshold differ between turf's sphere and PostGIS's spheroid: skip that band.
			const nearest = nearestGrid(p);
			if (Math.abs(nearest.d - 200) < 2) return;
			if (nearest.g === holed && nearest.d < 50) tally.hole++;
			if (nearest.d < 200) {
				tally.fallback++;
				expect(owner.fallback, `fallback at ${p}`).toBe(true);
				expect(owner.grid?.code).toBe(nearest.g.properties.code);
				expect(Math.abs(owner.grid!.distance_m! - nearest.d)).toBeLessThan(2);
				const community = containing('community', p) ?? areas.community.find((c) => c.properties.code === nearest.g.properties.parent)!;
				expect(owner.community?.code).toBe(community.properties.code);
				expect(owner.street?.code).toBe(containing('street', p)?.properties.code ?? community.properties.parent);
			} else {
				tally.queue++;
				expect(owner.county_queue, `county queue at ${p}`).toBe(true);
				expect(owner.grid).toBeNull();
				expect(owner.street?.code ?? null).toBe(containing('street', p)?.properties.code ?? null);
			}
		});
		// The mix really exercised every branch.
		expect(tally.inside).toBeGreaterThan(5000);
		expect(tally.edge).toBeGreaterThan(500);
		expect(tally.fallback).toBeGreaterThan(100);
		expect(tally.queue).toBeGreaterThan(100);
		expect(tally.hole).toBeGreaterThan(50); // points in the hole: outside the grid, which is then the nearest
	});

	it('names the people responsible at a date, and the lead department', async () => {
		const b = areas.building[0];
		const centre: [number, number] = [(b.box[0] + b.box[2]) / 2, (b.box[1] + b.box[3]) / 2];
		const [now] = (await ownership.owners(t.db.knex, [centre], { scope: { kind: 'all' } })).map((o) => parseJson(o));
		expect(now.grid!.people!.map((p) => p.role)).toContain('grid_worker');
		expect(now.community!.people!.map((p) => p.role)).toEqual(expect.arrayContaining(['first_secretary', 'community_secretary']));
		expect(now.community!.lead_department).toBeTruthy();
		const [longAgo] = (await ownership.owners(t.db.knex, [centre], { scope: { kind: 'all' }, at: '2000-01-01' })).map((o) => parseJson(o));
		expect(longAgo.grid!.people).toEqual([]);
		const [anonymous] = (await ownership.owners(t.db.knex, [centre], { scope: { kind: 'outlines' } })).map((o) => parseJson(o));
		expect(anonymous.grid).not.toHaveProperty('people');
	});
});

describe('owner(point) after a GCJ-02 import', () => {
	it('boundaries imported in GCJ-02 give the right owners at known WGS84 points, to the metre', async () => {
		const { importGeoJson } = await import('../../src/lib/server/areas/imports.js');
		const { wgs84ToGcj02 } = await import('../../src/lib/geo/crs.js');
		// A square street, community and two grids far from the sample, drawn in WGS84 and
		// converted to GCJ-02 as an Amap-based source would deliver them.
		const [x, y, s] = [106.1, 28.95, 0.004];
		const square = (x0: number, y0: number, w: number, h: number) => [
			[[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h], [x0, y0]].map((p) => wgs84ToGcj02(p as [number, number]))
		];
		const file = (features: { code: string; name: string; rings: number[][][]; parent?: string }[]) =>
			JSON.stringify({
				type: 'FeatureCollection',
				features: features.map((f) => ({
					type: 'Feature',
					properties: { code: f.code, name: f.name, ...(f.parent ? { parent: f.parent } : {}) },
					geometry: { type: 'Polygon', coordinates: f.rings }
				}))
			});
		const opts = { crs: 'gcj02' as const, parentField: 'parent' };
		expect((await importGeoJson(t.db, file([{ code: 'GS', name: '测试街道', rings: square(x, y, s, s) }]), { ...opts, layer: 'streets' })).ok).toBe(true);
		expect((await importGeoJson(t.db, file([{ code: 'GC', name: '测试社区', rings: square(x, y, s, s), parent: 'GS' }]), { ...opts, layer: 'communities' })).ok).toBe(true);
		const grids = file([
			{ code: 'GC001', name: '西网格', rings: square(x, y, s / 2, s), parent: 'GC' },
			{ code: 'GC002', name: '东网格', rings: square(x + s / 2, y, s / 2, s), parent: 'GC' }
		]);
		expect((await importGeoJson(t.db, grids, { ...opts, layer: 'grids' })).ok).toBe(true);
		// One metre either side of the shared edge (1 m ≈ 1.03e-5° of longitude here).
		const metre = 1 / (111320 * Math.cos((y * Math.PI) / 180));
		const edge = x + s / 2;
		const [west, east] = (await ownership.owners(t.db.knex, [[edge - 1.5 * metre, y + s / 2], [edge + 1.5 * metre, y + s / 2]], { scope: { kind: 'all' } })).map((o) => parseJson(o));
		expect(west.grid!.code).toBe('GC001');
		expect(east.grid!.code).toBe('GC002');
		expect(west.community!.code).toBe('GC');
		expect(west.street!.code).toBe('GS');
	});
});
