/**
 * Boundary change: the preview lists exactly the buildings an independent turf computation
 * says would change grid and writes nothing; apply moves them in one transaction, keeps the
 * old outline as history, and owner(point, at) answers with the outline in force that day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon, transformTranslate } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import * as boundaries from '../../src/lib/server/areas/boundaries.js';
import * as ownership from '../../src/lib/server/ownership/ownership.js';
import { parseJson } from '../../src/lib/server/platform/json-text.js';
import { systemAdmin, type User } from '../../src/lib/server/accounts/accounts.js';

const admin = systemAdmin('test');

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
		const impact = await boundaries.preview(t.db.knex, admin, 'grid', target.properties.code, moved.geometry);
		expect(impact.buildings.map((b) => ({ code: b.code, from: b.from, to: b.to }))).toEqual(expected);
		expect(impact.households_moved).toBe(impact.buildings.reduce((n, b) => n + b.households, 0));
		expect(impact.warnings.some((w) => /overlaps grid/.test(w))).toBe(true);
		expect(await tableCounts(t.db)).toEqual(before);
	});

	it('applies from an effective date in one transaction; owner(point, at) reads the outline in force', async () => {
		const all = await grids();
		const target = all[20];
		const moved = transformTranslate(target, 250, 90, { units: 'meters' });
		const preview = await boundaries.preview(t.db.knex, admin, 'grid', target.properties.code, moved.geometry);
		const gained = preview.buildings.find((b) => b.to === target.properties.code)!;
		expect(gained).toBeTruthy();
		const { rows } = await t.db.knex.raw('SELECT ST_X(anchor) AS lng, ST_Y(anchor) AS lat FROM buildings WHERE code = ?', [gained.code]);
		const point: [number, number] = [rows[0].lng, rows[0].lat];

		const impact = await boundaries.apply(t.db.knex, admin, 'grid', target.properties.code, moved.geometry, '2026-06-01', '网格调整：按户数重划');
		expect(impact.buildings).toEqual(preview.buildings);
		const now = await t.db.knex('buildings as b').join('grids as g', 'g.id', 'b.grid_id').where('b.code', gained.code).first('g.code');
		expect(now.code).toBe(target.properties.code);
		const version = await t.db.knex('boundary_versions').orderBy('id', 'desc').first();
		expect(version).toMatchObject({ level: 'grid', changed_by: 'test', reason: '网格调整：按户数重划' });
		expect(new Date(version.valid_to).toISOString().slice(0, 10)).toBe('2026-06-01');
		const audit = await t.db.knex('audit_log').where('action', 'change_boundary').first('detail');
		expect(audit.detail).toMatchObject({ code: target.properties.code, buildings_moved: impact.buildings.length });

		const [today] = (await ownership.owners(t.db.knex, [point], { scope: { kind: 'all' } })).map((o) => parseJson(o));
		const [before] = (await ownership.owners(t.db.knex, [point], { scope: { kind: 'all' }, at: '2026-05-31' })).map((o) => parseJson(o));
		const [after] = (await ownership.owners(t.db.knex, [point], { scope: { kind: 'all' }, at: '2026-06-01' })).map((o) => parseJson(o));
		expect(today.grid!.code).toBe(target.properties.code);
		expect(after.grid!.code).toBe(target.properties.code);
		expect(before.grid!.code).toBe(gained.from);
	});

	it('refuses invalid outlines, unknown codes and dates before the outline in force, writing nothing', async () => {
		const before = await tableCounts(t.db);
		const bowtie = { type: 'Polygon', coordinates: [[[105.9, 28.9], [105.91, 28.91], [105.91, 28.9], [105.9, 28.91], [105.9, 28.9]]] } satisfies Polygon;
		await expect(boundaries.preview(t.db.knex, admin, 'grid', (await grids())[0].properties.code, bowtie)).rejects.toThrow(/invalid: Self-intersection/);
		await expect(boundaries.preview(t.db.knex, admin, 'grid', 'nope', bowtie)).rejects.toThrow();
		const g = (await grids())[20];
		await expect(boundaries.apply(t.db.knex, admin, 'grid', g.properties.code, g.geometry, '2026-01-01', 'r')).rejects.toThrow(/before the current outline took effect/);
		expect(await tableCounts(t.db)).toEqual(before);
	});
});

describe('who may move an outline (issue 8, point 1)', () => {
	async function user(username: string): Promise<User> {
		return t.db.knex('users').where({ username }).first('id', 'username', 'role', 'person_id', 'department_id');
	}
	/** The demo community admin's community, two of its grids that share an edge, and a grid of another community. */
	async function setting() {
		const { rows } = await t.db.knex.raw(
			`SELECT c.code AS community, a.code AS a, b.code AS b,
				ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(a.geom, ST_Intersection(b.geom, ST_Buffer(a.geom::geography, 150)::geometry))), 3))) AS grown,
				ST_AsGeoJSON(c.geom) AS community_geom,
				(SELECT o.code FROM grids o WHERE o.community_id <> c.id ORDER BY o.code LIMIT 1) AS foreign_grid
			 FROM users u JOIN assignments s ON s.person_id = u.person_id AND s.role IN ('community_secretary', 'first_secretary')
			 JOIN communities c ON c.id = s.community_id
			 JOIN grids a ON a.community_id = c.id JOIN grids b ON b.community_id = c.id AND b.code > a.code
			 WHERE u.username = 'demo-community' AND ST_Relate(a.geom, b.geom, 'F***1****')
			 -- the pair with the most buildings of b near a (ties go to the lower code: a < b), so the move takes some
			 ORDER BY (SELECT count(*) FROM buildings x WHERE x.grid_id = b.id AND ST_DWithin(x.anchor::geography, a.geom::geography, 150)) DESC, a.code, b.code
			 LIMIT 1`
		);
		return rows[0] as { community: string; a: string; b: string; grown: string; community_geom: string; foreign_grid: string };
	}
	const county = async () => JSON.parse((await t.db.knex.raw('SELECT ST_AsGeoJSON(geom) AS g FROM county')).rows[0].g) as MultiPolygon;

	it('lets a community admin move the shared edge between two of its grids', async () => {
		const editor = await user('demo-community');
		const s = await setting();
		// Independently: the buildings of grid b whose anchor the grown outline of a covers.
		const { rows } = await t.db.knex.raw(
			`SELECT b.code FROM buildings b JOIN grids g ON g.id = b.grid_id
			 WHERE g.code = ? AND ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), b.anchor) ORDER BY b.code`,
			[s.b, s.grown]
		);
		const expected = rows.map((r: { code: string }) => r.code);
		expect(expected.length).toBeGreaterThan(0);
		const impact = await boundaries.apply(t.db.knex, editor, 'grid', s.a, JSON.parse(s.grown), '2026-11-01', '调整网格边界');
		expect(impact.buildings.map((b) => [b.code, b.from, b.to])).toEqual(expected.map((code: string) => [code, s.b, s.a]));
		const audit = await t.db.knex('audit_log').where({ action: 'change_boundary', actor: 'demo-community' }).first('detail');
		expect(audit.detail).toMatchObject({ code: s.a, buildings_moved: expected.length });
	});

	it('refuses a county-sized outline for their grid or their community, and writes nothing', async () => {
		const editor = await user('demo-community');
		const s = await setting();
		const before = await tableCounts(t.db);
		const huge = await county();
		await expect(boundaries.apply(t.db.knex, editor, 'grid', s.a, huge, '2026-11-01', 'take over')).rejects.toMatchObject({
			status: 403,
			message: expect.stringMatching(/^the outline reaches [\d.]+ m² outside your community/)
		});
		await expect(boundaries.preview(t.db.knex, editor, 'grid', s.a, huge)).rejects.toMatchObject({ status: 403 });
		await expect(boundaries.apply(t.db.knex, editor, 'community', s.community, huge, '2026-11-01', 'take over')).rejects.toMatchObject({
			status: 403,
			message: "a community admin may not move a community's outer boundary; a county admin can"
		});
		// Even the outline it has: the outer boundary is the county's to change.
		await expect(boundaries.preview(t.db.knex, editor, 'community', s.community, JSON.parse(s.community_geom))).rejects.toMatchObject({ status: 403 });
		expect(await tableCounts(t.db)).toEqual(before);
	});

	it('refuses a grid of another community, and every other role', async () => {
		const s = await setting();
		const foreign = JSON.parse((await t.db.knex.raw('SELECT ST_AsGeoJSON(geom) AS g FROM grids WHERE code = ?', [s.foreign_grid])).rows[0].g);
		await expect(boundaries.preview(t.db.knex, await user('demo-community'), 'grid', s.foreign_grid, foreign)).rejects.toMatchObject({
			status: 403,
			message: 'the grid is not in a community you administer'
		});
		for (const username of ['demo-planner', 'demo-grid', 'demo-department', 'demo-housing', 'demo-building']) {
			await expect(boundaries.preview(t.db.knex, await user(username), 'grid', s.a, JSON.parse(s.grown)), username).rejects.toMatchObject({ status: 403 });
		}
	});

	it('lets a county admin give a grid area of another community (with a warning)', async () => {
		const s = await setting();
		const impact = await boundaries.preview(t.db.knex, admin, 'grid', s.a, await county());
		expect(impact.warnings.some((w) => /m² lie outside the grid's community/.test(w))).toBe(true);
	});
});
