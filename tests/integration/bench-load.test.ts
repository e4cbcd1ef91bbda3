/**
 * The bench's bulk loader (scripts/bench/load.ts) at a small scale: it writes exactly what
 * the generator makes, derives every building's grid and compound by the trigger's rule,
 * leaves the schema as the migrations made it, and writes the same rows as the sample
 * loader (the per-row upserts of record-writers.ts) — compared table by table.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { RECORD_LAYERS } from '../../src/lib/domain/records.js';
import { createGenerator } from '../../db/seeds/generator/index.js';
import { LAYER_LOADS } from '../../scripts/bench/layers.js';
import { loadCity, type LoadResult } from '../../scripts/bench/load.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { adminQuery, databaseUrl } from '../helpers/pg-admin.js';

const name = `wz_test_benchload_${process.pid}_${Date.now().toString(36)}`;
let url: string;
let client: pg.Client;
let sample: TestDatabase;
let first: LoadResult;

beforeAll(async () => {
	url = databaseUrl(inject('adminUrl'), name);
	// All layers, issue_events too, so that every table can be compared with the sample.
	first = await loadCity(url, { scale: 1, seed: 'hejiang', layers: RECORD_LAYERS });
	client = new pg.Client({ connectionString: url });
	await client.connect();
	sample = await createTestDatabase('sample');
});
afterAll(async () => {
	await client?.end();
	await sample?.drop();
	await adminQuery(inject('adminUrl'), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

const count = async (c: pg.Client, table: string) =>
	Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

/** A digest of a table's rows in id order, every column but updated_at (geometry as hex EWKB). */
async function digest(c: pg.Client, table: string): Promise<string> {
	const { rows: cols } = await c.query<{ name: string }>(
		`SELECT column_name AS name FROM information_schema.columns
		 WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'updated_at' ORDER BY ordinal_position`,
		[table]
	);
	const list = cols.map((col) => `t.${col.name}`).join(', ');
	const { rows } = await c.query(`SELECT md5(string_agg(ROW(${list})::text, E'\\n' ORDER BY t.id)) AS d FROM ${table} t`);
	return rows[0].d;
}

describe('the bench loader', () => {
	it('writes exactly the generator’s counts', async () => {
		const expected = createGenerator({ scale: 1, seed: 'hejiang' }).counts();
		expect(first.skipped).toBe(false);
		expect(first.counts).toEqual(expected);
		for (const layer of RECORD_LAYERS) {
			expect(await count(client, LAYER_LOADS[layer].table), layer).toBe(expected[layer]);
		}
		expect(await count(client, 'county')).toBe(1);
	});

	it('gives every building the grid and compound the owner trigger would', async () => {
		const { rows } = await client.query(`
			SELECT count(*) FILTER (WHERE grid_id IS NULL)::int AS no_grid,
			       count(*) FILTER (WHERE grid_id IS DISTINCT FROM
			         (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, b.anchor) ORDER BY g.code LIMIT 1))::int AS wrong_grid,
			       count(*) FILTER (WHERE compound_id IS DISTINCT FROM
			         (SELECT c.id FROM compounds c WHERE ST_Covers(c.geom, b.anchor) ORDER BY c.code LIMIT 1))::int AS wrong_compound,
			       count(*) FILTER (WHERE compound_id IS NOT NULL)::int AS in_compound
			FROM buildings b`);
		expect(rows[0]).toMatchObject({ no_grid: 0, wrong_grid: 0, wrong_compound: 0 });
		expect(rows[0].in_compound).toBeGreaterThan(0);
	});

	it('leaves the owner trigger on and every index of the migrations in place', async () => {
		const { rows } = await client.query(
			`SELECT tgenabled FROM pg_trigger WHERE tgname = 'buildings_derive_owner'`
		);
		expect(rows).toEqual([{ tgenabled: 'O' }]);
		const indexes = `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'bench_meta' ORDER BY 1, 2`;
		const ours = (await client.query(indexes)).rows;
		const theirs = (await sample.db.knex.raw(indexes)).rows;
		expect(ours).toEqual(theirs);
		const { rows: staging } = await client.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'bench_stage_%'`);
		expect(staging).toEqual([]);
	});

	it('writes the same rows, with the same ids, as the sample loader', async () => {
		const other = new pg.Client({ connectionString: sample.url });
		await other.connect();
		try {
			// The demo accounts' link of demo-department to demo-community's community (linkDemoDepartment in
			// db/seeds/demo-accounts.ts) is the demo's, not the generator's: the bench loader has no accounts.
			await other.query(
				`DELETE FROM community_liaisons l USING communities c, users u
				 WHERE l.community_id = c.id AND l.department_id = u.department_id AND c.code = '510522100006' AND u.username = 'demo-department' AND NOT l.is_lead
				 AND l.id > (SELECT max(id) FROM community_liaisons) - 1`
			);
			// The generator's tables; accounts and the audit log are not the generator's.
			for (const table of ['county', ...RECORD_LAYERS.map((l) => LAYER_LOADS[l].table)]) {
				expect(await digest(client, table), table).toBe(await digest(other, table));
			}
		} finally {
			await other.end();
		}
	});

	it('skips a second load of the same scale and seed, and replaces another', async () => {
		const again = await loadCity(url, { scale: 1, seed: 'hejiang', layers: RECORD_LAYERS });
		expect(again.skipped).toBe(true);
		const scale2 = await loadCity(url, { scale: 2, seed: 'hejiang' });
		expect(scale2.skipped).toBe(false);
		const expected = createGenerator({ scale: 2, seed: 'hejiang' }).counts();
		expect(await count(client, 'buildings')).toBe(expected.buildings);
		expect(await count(client, 'issues')).toBe(expected.issues);
		// issue_events is not a default layer: the replacement leaves it empty.
		expect(await count(client, 'issue_events')).toBe(0);
	});

	it('refuses a database it did not write', async () => {
		await expect(loadCity(sample.url, { scale: 1, seed: 'hejiang' })).rejects.toThrow(/did not write/);
	});
});
