/**
 * Choropleth values on the sample in PostGIS, checked against an independent count in
 * JavaScript: turf's point in polygon over the same grids, communities and issues, the
 * overdue rule of src/lib/domain/issues.ts, households summed from buildings in code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Point } from 'geojson';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as choropleth from '../../src/lib/server/areas/choropleth.js';
import { choroplethQuery } from '../../src/lib/server/http/areas.js';
import { isOverdue } from '../../src/lib/domain/issues.js';
import type { IssueStatus } from '../../src/lib/domain/glossary.js';
import type { Scope } from '../../src/lib/server/ownership/territory.js';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('sample');
});
afterAll(async () => {
	await t?.drop();
});

interface Area {
	code: string;
	geometry: MultiPolygon;
	households: number;
}

async function areas(level: choropleth.ChoroplethLevel): Promise<Area[]> {
	const { rows } = await t.db.knex.raw<{ rows: { code: string; geometry: string; grid_ids: number[] }[] }>(
		level === 'grid'
			? 'SELECT code, ST_AsGeoJSON(geom) AS geometry, ARRAY[id] AS grid_ids FROM grids'
			: `SELECT c.code, ST_AsGeoJSON(c.geom) AS geometry, array_agg(g.id) AS grid_ids
			   FROM communities c JOIN grids g ON g.community_id = c.id GROUP BY c.id`
	);
	const buildings = await t.db.knex('buildings').whereNotNull('grid_id').select('grid_id', 'households');
	return rows.map((r) => ({
		code: r.code,
		geometry: JSON.parse(r.geometry),
		households: buildings.filter((b) => r.grid_ids.includes(b.grid_id)).reduce((sum, b) => sum + b.households, 0)
	}));
}

async function issues() {
	const { rows } = await t.db.knex.raw<{ rows: { status: IssueStatus; due_at: Date | null; geometry: string }[] }>(
		'SELECT status, due_at, ST_AsGeoJSON(geom) AS geometry FROM issues'
	);
	const now = new Date();
	return rows.map((r) => ({ point: JSON.parse(r.geometry) as Point, overdue: isOverdue(r.status, r.due_at, now) }));
}

describe('choropleth values', () => {
	for (const level of choropleth.CHOROPLETH_LEVELS) {
		it(`of every ${level} equal an independent point-in-polygon count`, async () => {
			const [all, points] = await Promise.all([areas(level), issues()]);
			const perHundred = await choropleth.read(t.db.knex, level, 'issues_per_100_households');
			const overdue = await choropleth.read(t.db.knex, level, 'overdue');
			expect(perHundred.values).toHaveLength(all.length);
			expect(overdue.values).toHaveLength(all.length);
			const byCode = (r: choropleth.Choropleth) => new Map(r.values.map((v) => [v.code, v.value]));
			const [a, b] = [byCode(perHundred), byCode(overdue)];
			let withIssues = 0;
			for (const area of all) {
				// turf counts a point on the boundary as inside unless ignoreBoundary: ST_Covers does too.
				const inside = points.filter((p) => booleanPointInPolygon(p.point, area.geometry));
				if (inside.length) withIssues++;
				expect(b.get(area.code), area.code).toBe(inside.filter((p) => p.overdue).length);
				const expected = area.households > 0 ? Math.round((inside.length * 10000) / area.households) / 100 : null;
				expect(a.get(area.code), area.code).toBe(expected);
			}
			// The comparison means something only if the sample puts issues in most areas.
			expect(withIssues).toBeGreaterThan(all.length / 2);
		});
	}

	it('answers the level and metric asked, with four quantile breaks in order', async () => {
		const result = await choropleth.read(t.db.knex, 'grid', 'issues_per_100_households');
		expect(result).toMatchObject({ level: 'grid', metric: 'issues_per_100_households' });
		expect(result.breaks).toHaveLength(4);
		expect([...result.breaks].sort((x, y) => x - y)).toEqual(result.breaks);
		const defined = result.values.map((v) => v.value).filter((v): v is number => v !== null);
		expect(result.breaks[0]).toBeGreaterThanOrEqual(Math.min(...defined));
		expect(result.breaks[3]).toBeLessThanOrEqual(Math.max(...defined));
	});

	it('gives the breaks percentile_cont gives', async () => {
		const values = [3, 1, 4, 1, 5, 9, 2, 6];
		const { rows } = await t.db.knex.raw(
			`SELECT percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY v) AS q
			 FROM unnest(:values::float8[]) AS v`,
			{ values }
		);
		expect(choropleth.quantileBreaks(values, [0.2, 0.4, 0.6, 0.8])).toEqual(
			rows[0].q.map((q: number) => Math.round(q * 100) / 100)
		);
		expect(choropleth.quantileBreaks([], [0.5])).toEqual([0]);
	});

	it('leaves an area without households undefined rather than dividing by zero', async () => {
		const grid = await t.db.knex('grids').first('id', 'code');
		await t.db.knex('buildings').where('grid_id', grid.id).update({ households: 0 });
		const result = await choropleth.read(t.db.knex, 'grid', 'issues_per_100_households');
		expect(result.values.find((v) => v.code === grid.code)!.value).toBeNull();
	});
});

describe('choropleth within a territory', () => {
	it('covers the grids reaching into it, not the neighbours that only touch it (issue 8)', async () => {
		const { rows } = await t.db.knex.raw("SELECT ST_AsGeoJSON(geom) AS g FROM communities WHERE code = '510522100006'");
		const scope: Scope = { kind: 'territory', geojson: rows[0].g, label: 'community_admin' };
		const inside = await choropleth.read(t.db.knex, 'grid', 'overdue', scope);
		const all = await choropleth.read(t.db.knex, 'grid', 'overdue');
		const { rows: own } = await t.db.knex.raw(
			`SELECT g.code, ST_Touches(g.geom, c.geom) AS touches FROM grids g, communities c
			 WHERE c.code = '510522100006' AND ST_Intersects(g.geom, c.geom) ORDER BY g.code`
		);
		const reaching = own.filter((r: { touches: boolean }) => !r.touches).map((r: { code: string }) => r.code);
		// The sample's neighbouring grids share the community's edge: they exist, and stay out.
		expect(own.length).toBeGreaterThan(reaching.length);
		expect(inside.values.map((v) => v.code).sort()).toEqual(reaching);
		// The community's own grids count as the full map counts them.
		const allByCode = new Map(all.values.map((v) => [v.code, v.value]));
		for (const v of inside.values) expect(v.value, v.code).toBe(allByCode.get(v.code));
	});
});

describe('choropleth input', () => {
	const parse = (qs: string) => choroplethQuery(new URLSearchParams(qs));
	it('names the allowed levels and metrics', () => {
		expect(parse('level=grid&metric=overdue')).toEqual({ level: 'grid', metric: 'overdue' });
		expect(() => parse('level=street&metric=overdue')).toThrow(/level 'street' is not one of grid, community/);
		expect(() => parse('level=grid')).toThrow(/metric must be one of issues_per_100_households, overdue, households_per_worker, buildings_without_head/);
	});
});

describe('coverage as map styles', () => {
	it('households per grid worker and buildings without a head agree with the coverage report', async () => {
		const { report } = await import('../../src/lib/server/areas/coverage.js');
		const r = await report(t.db.knex);
		const load = await choropleth.read(t.db.knex, 'grid', 'households_per_worker');
		const headless = await choropleth.read(t.db.knex, 'grid', 'buildings_without_head');
		// Each sample grid has one worker, so a grid's value is its worker's households.
		for (const w of r.worker_load.filter((x) => x.grids.length === 1)) {
			expect(load.values.find((v) => v.code === w.grids[0])!.value, w.grids[0]).toBe(w.households);
		}
		const perGrid = new Map<string, number>();
		for (const b of r.buildings_without_head) perGrid.set(b.grid_code!, (perGrid.get(b.grid_code!) ?? 0) + 1);
		for (const v of headless.values) expect(v.value, v.code).toBe(perGrid.get(v.code) ?? 0);
		expect(headless.values.some((v) => (v.value ?? 0) > 0)).toBe(true);
	});
});
