/** The coverage report finds the holes the sample has, and the ones a test makes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as coverage from '../../src/lib/server/coverage.js';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('sample');
});
afterAll(async () => {
	await t?.drop();
});

describe('coverage report', () => {
	it('on the sample: headless buildings with candidates from their grid, every grid staffed, no overlap or gap', async () => {
		const r = await coverage.report(t.db.knex);
		const { rows } = await t.db.knex.raw(`SELECT count(*)::int AS n FROM buildings b WHERE NOT EXISTS (
			SELECT 1 FROM assignments a WHERE a.building_id = b.id AND a.role = 'building_head' AND a.valid_to IS NULL)`);
		expect(r.buildings_without_head).toHaveLength(rows[0].n);
		expect(rows[0].n).toBeGreaterThan(0);
		expect(r.grids_without_worker).toEqual([]);
		expect(r.overlapping_grids).toEqual([]);
		expect(r.community_gaps).toEqual([]);
		expect(r.buildings_outside_grids).toEqual([]);
		// Candidates: party members of a building in the same grid, nearest first, not heads already.
		const withCandidates = r.buildings_without_head.filter((b) => b.candidates.length);
		expect(withCandidates.length).toBeGreaterThan(0);
		for (const b of withCandidates.slice(0, 20)) {
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
		expect(r.worker_load.length).toBeGreaterThan(80);
		for (const w of r.worker_load) {
			expect(w.status).toBe(w.households < 300 ? 'under' : w.households > 500 ? 'over' : 'within');
		}
		expect(r.proposal_rule).toMatch(/same grid/);
	});

	it('finds an overlap, a gap, an unstaffed grid and a building outside every grid after edits', async () => {
		await t.db.knex.transaction(async (trx) => {
			const [a, b] = await trx('grids').orderBy('code').limit(2).select('id', 'code');
			// Grow grid a over its neighbour; shrink grid b (leaving a gap); end b's worker.
			await trx.raw('UPDATE grids SET geom = ST_Multi(ST_Buffer(geom, 0.0005, 2)) WHERE id = ?', [a.id]);
			await trx.raw('UPDATE grids SET geom = ST_Multi(ST_Buffer(geom, -0.0008)) WHERE id = ?', [b.id]);
			await trx('assignments').where({ grid_id: b.id, role: 'grid_worker' }).update({ valid_to: '2020-01-01', valid_from: '2019-01-01' });
		});
		await t.db.knex.raw(`INSERT INTO buildings (code, households, geom) VALUES ('B-FAR', 10, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(100, 20), 4326), 0.0001, 1)))`);
		const r = await coverage.report(t.db.knex);
		expect(r.overlapping_grids.length).toBeGreaterThan(0);
		expect(r.overlapping_grids[0].area_m2).toBeGreaterThan(1);
		expect(r.community_gaps.length).toBeGreaterThan(0);
		expect(r.grids_without_worker.length).toBe(1);
		expect(r.buildings_outside_grids.map((b) => b.code)).toContain('B-FAR');
	});
});
