/**
 * Bulk re-derivation of every building's grid and compound, after an import or a boundary
 * change. Polygon-outer: each grid (and compound) finds the building anchors it covers
 * through the anchors' GiST index, ties on shared edges go to the lowest code — the same
 * rule as the per-row trigger, which this transaction switches off.
 */
import type { Knex } from 'knex';
import { audit } from '../platform/audit.js';

export const REDERIVE_SQL = `
WITH grid_of AS (
	SELECT DISTINCT ON (b.id) b.id, g.id AS grid_id
	FROM grids g JOIN buildings b ON ST_Covers(g.geom, b.anchor)
	ORDER BY b.id, g.code
), compound_of AS (
	SELECT DISTINCT ON (b.id) b.id, k.id AS compound_id
	FROM compounds k JOIN buildings b ON ST_Covers(k.geom, b.anchor)
	ORDER BY b.id, k.code
), derived AS (
	SELECT b.id, grid_of.grid_id, compound_of.compound_id
	FROM buildings b LEFT JOIN grid_of ON grid_of.id = b.id LEFT JOIN compound_of ON compound_of.id = b.id
)
UPDATE buildings b SET grid_id = d.grid_id, compound_id = d.compound_id, updated_at = now()
FROM derived d
WHERE d.id = b.id AND (b.grid_id IS DISTINCT FROM d.grid_id OR b.compound_id IS DISTINCT FROM d.compound_id)`;

/** Re-derives every building in one transaction with an audit row; returns how many changed. */
export async function rederiveBuildings(knex: Knex, actor = 'system'): Promise<number> {
	return knex.transaction(async (trx) => {
		await trx.raw(`SELECT set_config('wangge.bulk_derive', 'on', true)`);
		const result = await trx.raw(REDERIVE_SQL);
		const changed = Number(result.rowCount ?? result.affectedRows ?? 0);
		await trx.raw(`SELECT set_config('wangge.bulk_derive', 'off', true)`);
		await audit(trx, actor, 'rederive', 'buildings', { changed });
		return changed;
	});
}
