/**
 * Boundary change: the preview lists exactly the buildings an independent turf computation
 * says would change grid and writes nothing; apply moves them in one transaction, keeps the
 * old outline as history, and owner(point, at) answers with the outline in force that day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon, transformTranslate } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import * as boundaries from '../../src/lib/server/boundaries.js';
import * as ownership from '../../src/lib/server/ownership.js';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('sample');
});
afterAll(async () => {
	await t?.drop();
});

async function grids() {
	const { rows } = await t.db.knex.raw('SELECT code, ST_AsGeoJSON(geom) AS g FROM grids ORDER BY code');
	return rows.map((r: { code: string; g: string }) => ({ type: 'Feature', properties: { code: r.code }, geometry: JSON.parse(r.g) })) as Feature<MultiPolygon, { code: string }>[];
}

describe('boundary change', () => {
	it('previews the buildings that would change grid, as turf computes, and writes nothing', async () => {
		const all = await grids();
		const target = all[10];
		// Move the grid ~250 m east: it takes buildings from its east neighbour, loses its west strip.
		const moved = transformTranslate(target, 250, 90, { units: 'meters' });
		const { rows: anchors } = await t.db.knex.raw(
			'SELECT b.code, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat, g.code AS grid FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id'
		);
		const expected = anchors
			.map((b: { code: string; lng: number; lat: number; grid: string | null }) => {
				const owner = all
					.map((g) => (g.properties.code === target.properties.code ? moved : g))
					.filter((g) => booleanPointInPolygon([b.lng, b.lat], g))
					.map((g) => g.properties.code)
					.sort()[0] ?? null;
				return { code: b.code, from: b.grid, to: owner };
			})
			.filter((b: { from: string | null; to: string | null }) => b.from !== b.to)
			.sort((a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : 1));
		expect(expected.length).toBeGreaterThan(0);

		const before = await tableCounts(t.db);
		const impact = await boundaries.preview(t.db.knex, 'grid', target.properties.code, moved.geometry);
		expect(impact.buildings.map((b) => ({ code: b.code, from: b.from, to: b.to }))).toEqual(expected);
		expect(impact.households_moved).toBe(impact.buildings.reduce((n, b) => n + b.households, 0));
		expect(impact.warnings.some((w) => /overlaps grid/.test(w))).toBe(true);
		expect(await tableCounts(t.db)).toEqual(before);
	});

	it('applies from an effective date in one transaction; owner(point, at) reads the outline in force', async () => {
		const all = await grids();
		const target = all[20];
		const moved = transformTranslate(target, 250, 90, { units: 'meters' });
		const preview = await boundaries.preview(t.db.knex, 'grid', target.properties.code, moved.geometry);
		const gained = preview.buildings.find((b) => b.to === target.properties.code)!;
		expect(gained).toBeTruthy();
		const { rows } = await t.db.knex.raw('SELECT ST_X(anchor) AS lng, ST_Y(anchor) AS lat FROM buildings WHERE code = ?', [gained.code]);
		const point: [number, number] = [rows[0].lng, rows[0].lat];

		const impact = await boundaries.apply(t.db.knex, 'grid', target.properties.code, moved.geometry, '2026-06-01', '网格调整：按户数重划', 'test');
		expect(impact.buildings).toEqual(preview.buildings);
		const now = await t.db.knex('buildings as b').join('grids as g', 'g.id', 'b.grid_id').where('b.code', gained.code).first('g.code');
		expect(now.code).toBe(target.properties.code);
		const version = await t.db.knex('boundary_versions').orderBy('id', 'desc').first();
		expect(version).toMatchObject({ level: 'grid', changed_by: 'test', reason: '网格调整：按户数重划' });
		expect(new Date(version.valid_to).toISOString().slice(0, 10)).toBe('2026-06-01');
		const audit = await t.db.knex('audit_log').where('action', 'change_boundary').first('detail');
		expect(audit.detail).toMatchObject({ code: target.properties.code, buildings_moved: impact.buildings.length });

		const [today] = await ownership.owners(t.db.knex, [point], { scope: { kind: 'all' } });
		const [before] = await ownership.owners(t.db.knex, [point], { scope: { kind: 'all' }, at: '2026-05-31' });
		const [after] = await ownership.owners(t.db.knex, [point], { scope: { kind: 'all' }, at: '2026-06-01' });
		expect(today.grid!.code).toBe(target.properties.code);
		expect(after.grid!.code).toBe(target.properties.code);
		expect(before.grid!.code).toBe(gained.from);
	});

	it('refuses invalid outlines, unknown codes and dates before the outline in force, writing nothing', async () => {
		const before = await tableCounts(t.db);
		const bowtie = { type: 'Polygon', coordinates: [[[105.9, 28.9], [105.91, 28.91], [105.91, 28.9], [105.9, 28.91], [105.9, 28.9]]] } satisfies Polygon;
		await expect(boundaries.preview(t.db.knex, 'grid', (await grids())[0].properties.code, bowtie)).rejects.toThrow(/invalid: Self-intersection/);
		await expect(boundaries.preview(t.db.knex, 'grid', 'nope', bowtie)).rejects.toThrow();
		const g = (await grids())[20];
		await expect(boundaries.apply(t.db.knex, 'grid', g.properties.code, g.geometry, '2026-01-01', 'r', 'test')).rejects.toThrow(/before the current outline took effect/);
		expect(await tableCounts(t.db)).toEqual(before);
	});
});
