/**
 * The coverage report finds the holes the sample has, and the ones a test makes — with the
 * figures worked out here independently: the sample's from the generator's own records, the
 * edits' from the edited geometries (PostGIS on the pair or the ring involved, turf for which
 * grids overlap at all and as a cross-check of each area).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { area, booleanPointInPolygon, difference, feature, featureCollection, intersect } from '@turf/turf';
import type { MultiPolygon, Point } from 'geojson';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as coverage from '../../src/lib/server/areas/coverage.js';
import { createGenerator } from '../../db/seeds/generator/index.js';
import { SAMPLE_DEFAULTS } from '../../db/seeds/sample.js';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('sample');
});
afterAll(async () => {
	await t?.drop();
});

/** What the generator says about the people of the sample, with no database involved. */
function fromGenerator() {
	const generator = createGenerator(SAMPLE_DEFAULTS);
	const today = new Date().toISOString().slice(0, 10);
	const current = [...generator.records('assignments')].filter((a) => a.valid_from <= today && (a.valid_to === null || a.valid_to > today));
	const names = new Map([...generator.records('people')].map((p) => [p.code, p.name]));
	const headed = new Set(current.filter((a) => a.role === 'building_head').map((a) => a.target_code));
	const headless = [...generator.records('buildings')].map((b) => b.code).filter((code) => !headed.has(code)).sort();
	const members = new Map<string, string[]>();
	for (const a of current.filter((a) => a.role === 'registered_party_member')) {
		members.set(a.target_code, [...(members.get(a.target_code) ?? []), a.person_code]);
	}
	const workers = current
		.filter((a) => a.role === 'grid_worker')
		.map((a) => ({ person_code: a.person_code, grids: [a.target_code] }))
		.sort((x, y) => x.person_code.localeCompare(y.person_code));
	return { names, headless, members, workers };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

describe('coverage report', () => {
	it('on the sample: headless buildings with candidates from their grid, every grid staffed, no overlap or gap', async () => {
		const r = await coverage.report(t.db.knex);
		const sample = fromGenerator();
		const { rows } = await t.db.knex.raw(`SELECT count(*)::int AS n FROM buildings b WHERE NOT EXISTS (
			SELECT 1 FROM assignments a WHERE a.building_id = b.id AND a.role = 'building_head' AND a.valid_to IS NULL)`);
		expect(r.buildings_without_head).toHaveLength(rows[0].n);
		// Exactly the buildings the generator gave no head (428 of 600 have one, on purpose).
		expect(r.buildings_without_head.map((b) => b.code)).toEqual(sample.headless);
		expect(sample.headless).toHaveLength(600 - 428);
		expect(r.grids_without_worker).toEqual([]);
		expect(r.overlapping_grids).toEqual([]);
		expect(r.community_gaps).toEqual([]);
		expect(r.buildings_outside_grids).toEqual([]);
		// Every building has 3–4 registered party members of its own, who hold no other role: so
		// the nearest candidates are always three of the building's own members, 0 m away.
		for (const b of r.buildings_without_head) {
			const own = (sample.members.get(b.code) ?? []).sort().slice(0, 3);
			expect(b.candidates, b.code).toEqual(own.map((code) => ({ code, name: sample.names.get(code), distance_m: 0 })));
		}
		// Candidates: party members of a building in the same grid, nearest first, not heads already.
		for (const b of r.buildings_without_head.slice(0, 20)) {
			const distances = b.candidates.map((c) => c.distance_m);
			expect(distances).toEqual([...distances].sort((x, y) => x - y));
			for (const c of b.candidates) {
				const { rows: roles } = await t.db.knex.raw(
					`SELECT a.role, g.code AS grid FROM assignments a JOIN people p ON p.id = a.person_id
					 LEFT JOIN buildings mb ON mb.id = a.building_id LEFT JOIN grids g ON g.id = mb.grid_id
					 WHERE p.code = ? AND a.valid_to IS NULL`,
					[c.code]
				);
				expect(roles.map((x: { role: string }) => x.role)).not.toContain('building_head');
				expect(roles.some((x: { role: string; grid: string }) => x.role === 'registered_party_member' && x.grid === b.grid_code)).toBe(true);
			}
		}
		// One current worker per grid, each with their one grid.
		expect(r.worker_load.map(({ person_code, grids }) => ({ person_code, grids }))).toEqual(sample.workers);
		expect(sample.workers).toHaveLength(91);
		for (const w of r.worker_load) {
			expect(w.status).toBe(w.households < 300 ? 'under' : w.households > 500 ? 'over' : 'within');
		}
		expect(r.proposal_rule).toMatch(/same grid/);
	});

	it('finds an overlap, a gap, an unstaffed grid and a building outside every grid after edits', async () => {
		const knex = t.db.knex;
		const [a, b] = await knex('grids').orderBy('code').limit(2).select('id', 'code', 'name', 'community_id');
		const [{ bBefore }] = (await knex.raw('SELECT ST_AsGeoJSON(geom, 15) AS "bBefore" FROM grids WHERE id = ?', [b.id])).rows;
		// The buildings b holds: their anchors and households, read before the edit.
		const inB = (await knex.raw('SELECT ST_AsGeoJSON(anchor, 15) AS anchor, households FROM buildings WHERE grid_id = ?', [b.id])).rows;
		await knex.transaction(async (trx) => {
			// Grow grid a over its neighbours; shrink grid b (leaving a gap); end b's worker.
			await trx.raw('UPDATE grids SET geom = ST_Multi(ST_Buffer(geom, 0.0005, 2)) WHERE id = ?', [a.id]);
			await trx.raw('UPDATE grids SET geom = ST_Multi(ST_Buffer(geom, -0.0008)) WHERE id = ?', [b.id]);
			await trx('assignments').where({ grid_id: b.id, role: 'grid_worker' }).update({ valid_to: '2020-01-01', valid_from: '2019-01-01' });
		});
		await knex.raw(`INSERT INTO buildings (code, households, geom) VALUES ('B-FAR', 10, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(100, 20), 4326), 0.0001, 1)))`);
		const r = await coverage.report(knex);

		// Overlaps: which grids the grown a overlaps, by turf on the edited outlines; each area by
		// PostGIS on that one pair (on the spheroid, as the report measures), and within 0.5 % of
		// turf's spherical figure.
		const grids = (await knex.raw('SELECT code, ST_AsGeoJSON(geom, 15) AS geom FROM grids ORDER BY code')).rows.map(
			(g: { code: string; geom: string }) => feature(JSON.parse(g.geom) as MultiPolygon, { code: g.code })
		);
		const grown = grids.find((g: { properties: { code: string } }) => g.properties.code === a.code)!;
		const expectedOverlaps = [];
		for (const other of grids) {
			if (other === grown) continue;
			const shared = intersect(featureCollection([grown, other]));
			if (!shared || area(shared) === 0) continue;
			const [{ m2 }] = (
				await knex.raw('SELECT ST_Area(ST_Intersection(x.geom, y.geom)::geography) AS m2 FROM grids x, grids y WHERE x.id = ? AND y.code = ?', [
					a.id,
					other.properties.code
				])
			).rows;
			expect(Math.abs(area(shared) - m2) / m2, other.properties.code).toBeLessThan(0.005);
			expectedOverlaps.push({ a: a.code, b: other.properties.code, area_m2: round1(m2) });
		}
		// a sits on its community's edge: two neighbours inside it, five across (a grid's code
		// begins with its community's).
		const inside = expectedOverlaps.filter((o) => o.b.startsWith(a.code.slice(0, 12))).length;
		expect({ inside, across: expectedOverlaps.length - inside }).toEqual({ inside: 2, across: 5 });
		expect(r.overlapping_grids).toEqual(expectedOverlaps);

		// The gap: the sample's grids tile their community, so the community's gap is exactly what b
		// gave up and the grown a did not take over.
		const [{ m2: gap }] = (
			await knex.raw(
				`SELECT ST_Area(ST_Difference(ST_Difference(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), b.geom), a.geom)::geography) AS m2
				 FROM grids a, grids b WHERE a.id = ? AND b.id = ?`,
				[bBefore, a.id, b.id]
			)
		).rows;
		const community = await knex('communities').where({ id: b.community_id }).first('code', 'name');
		expect(r.community_gaps).toEqual([{ code: community.code, name: community.name, gap_m2: round1(gap) }]);
		const shrunk = grids.find((g: { properties: { code: string } }) => g.properties.code === b.code)!;
		const ring = difference(featureCollection([feature(JSON.parse(bBefore) as MultiPolygon), shrunk]))!;
		expect(Math.abs(area(difference(featureCollection([ring, grown]))!) - gap) / gap).toBeLessThan(0.005);

		// The unstaffed grid still holds the buildings it held (a new outline re-derives nothing by
		// itself), so its households are theirs; and they all lie in its old outline.
		const households = inB.reduce((sum: number, x: { households: number }) => sum + x.households, 0);
		expect(inB.every((x: { anchor: string }) => booleanPointInPolygon(JSON.parse(x.anchor) as Point, JSON.parse(bBefore) as MultiPolygon))).toBe(true);
		expect(r.grids_without_worker).toEqual([{ code: b.code, name: b.name, households }]);
		expect(r.buildings_outside_grids).toEqual([{ code: 'B-FAR', address: null }]);
	});
});
