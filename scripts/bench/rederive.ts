/**
 * Re-deriving every building's grid and compound (issue 4): ours — rederiveBuildings(),
 * the polygon-outer join with its audit row, through knex — beside the reference SQL, the
 * plain correlated UPDATE (per building, the lowest-code grid and compound covering its
 * anchor), on the same data in the same run. Before each, every building's owner is cleared,
 * so both do the full work; the table is vacuumed between runs so neither pays the other's
 * dead rows.
 */
import pg from 'pg';
import { openDatabase } from '../../src/lib/server/platform/db.js';
import { rederiveBuildings } from '../../src/lib/server/areas/derivation.js';

const REFERENCE = `UPDATE buildings b SET
	grid_id = (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, b.anchor) ORDER BY g.code LIMIT 1),
	compound_id = (SELECT k.id FROM compounds k WHERE ST_Covers(k.geom, b.anchor) ORDER BY k.code LIMIT 1)`;

export interface RederiveResult {
	buildings: number;
	oursSeconds: number;
	referenceSeconds: number;
	/** ours / reference: time, so lower is better (goal ≤ 1.5) */
	ratio: number;
}

export async function benchRederive(url: string, log: (m: string) => void): Promise<RederiveResult> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	const db = await openDatabase({ url });
	try {
		const clear = async () => {
			await client.query(
				`BEGIN; SELECT set_config('wangge.bulk_derive', 'on', true); UPDATE buildings SET grid_id = NULL, compound_id = NULL; COMMIT`
			);
			await client.query('VACUUM ANALYZE buildings');
		};
		const { rows } = await client.query('SELECT count(*)::int AS n FROM buildings');
		log(`re-derivation: ${rows[0].n.toLocaleString()} buildings`);
		await clear();
		let t = performance.now();
		await rederiveBuildings(db.knex, 'bench');
		const oursSeconds = (performance.now() - t) / 1000;
		log(`  ours (rederiveBuildings): ${oursSeconds.toFixed(1)} s`);
		await clear();
		t = performance.now();
		await client.query(`BEGIN; SELECT set_config('wangge.bulk_derive', 'on', true); ${REFERENCE}; COMMIT`);
		const referenceSeconds = (performance.now() - t) / 1000;
		log(`  reference (correlated UPDATE): ${referenceSeconds.toFixed(1)} s`);
		const { rows: check } = await client.query('SELECT count(*) FILTER (WHERE grid_id IS NULL)::int AS missing FROM buildings');
		log(`  ratio ours/reference ${(oursSeconds / referenceSeconds).toFixed(2)} (goal ≤ 1.5); buildings without a grid after: ${check[0].missing}`);
		await client.query('VACUUM ANALYZE buildings');
		return { buildings: rows[0].n, oursSeconds, referenceSeconds, ratio: oursSeconds / referenceSeconds };
	} finally {
		await db.close();
		await client.end();
	}
}
