/** Bulk re-derivation gives every building the grid and compound the per-row rule gives. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { rederiveBuildings } from '../../src/lib/server/areas/derivation.js';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('sample');
});
afterAll(async () => {
	await t?.drop();
});

const snapshot = () => t.db.knex('buildings').orderBy('id').select('id', 'grid_id', 'compound_id');

describe('rederiveBuildings', () => {
	it('changes nothing when every building is already derived', async () => {
		const before = await snapshot();
		expect(await rederiveBuildings(t.db.knex)).toBe(0);
		expect(await snapshot()).toEqual(before);
	});

	it('after a grid boundary moves, reassigns exactly the buildings whose anchor changed grid', async () => {
		const before = await snapshot();
		// Move a grid’s outline ~300 m east, bypassing the app, as a raw boundary edit would.
		const grid = await t.db.knex('grids').orderBy('code').first('id', 'code');
		await t.db.knex.raw('UPDATE grids SET geom = ST_Translate(geom, 0.003, 0) WHERE id = ?', [grid.id]);
		const changed = await rederiveBuildings(t.db.knex);
		const { rows: expected } = await t.db.knex.raw(`
			SELECT b.id, (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, b.anchor) ORDER BY g.code LIMIT 1) AS grid_id,
			       (SELECT k.id FROM compounds k WHERE ST_Covers(k.geom, b.anchor) ORDER BY k.code LIMIT 1) AS compound_id
			FROM buildings b ORDER BY b.id`);
		const after = await snapshot();
		expect(after).toEqual(expected);
		const moved = after.filter((b, i) => b.grid_id !== before[i].grid_id).length;
		expect(moved).toBe(changed);
		expect(moved).toBeGreaterThan(0);
		const audit = await t.db.knex('audit_log').where('action', 'rederive').orderBy('id', 'desc').first('detail');
		expect(audit.detail).toEqual({ changed });
	});

	it('leaves the per-row trigger on for ordinary writes', async () => {
		const b = await t.db.knex('buildings').first('id', 'grid_id');
		await t.db.knex('buildings').where('id', b.id).update({ grid_id: null });
		expect((await t.db.knex('buildings').where('id', b.id).first('grid_id')).grid_id).toBe(b.grid_id);
	});
});
