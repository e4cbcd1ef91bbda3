/**
 * The demo grid worker's rain alert (issue 21, point 1): the default alert must reach
 * demo-grid's buildings, so that the demo shows the whole journey — planner switches on, grid
 * worker checks off. The generator's sample already holds such a spot (a 监测中, 中度 spot
 * beside a building of that grid); should a change of the generator lose it, one is placed
 * 10 m south of the grid's first building, 监测中 and 中度 like it.
 */
import type { Knex } from 'knex';
import { held } from '../../src/lib/server/platform/held.js';
import { affectedBuildings, defaultScope } from '../../src/lib/server/flood/rain-alerts.js';

/** Whether the default alert reaches demo-grid's grid; places a spot when not. Returns the spots placed (0 or 1). */
export async function ensureDemoFloodSpot(trx: Knex): Promise<number> {
	const grid = (
		await trx.raw(
			`SELECT a.grid_id FROM users u JOIN assignments a ON a.person_id = u.person_id AND a.role = 'grid_worker' AND ${held('a')}
			 WHERE u.username = 'demo-grid' ORDER BY a.grid_id LIMIT 1`
		)
	).rows[0]?.grid_id as number | undefined;
	if (grid === undefined) return 0;
	// The default scope at 100 m, whatever RAIN_ALERT_METRES says where the sample is loaded.
	if ((await affectedBuildings(trx, defaultScope(100))).some((b) => b.grid_id === grid)) return 0;
	const building = await trx('buildings').where({ grid_id: grid }).orderBy('code').first('id', 'address', 'code');
	if (!building) return 0;
	const { rows } = await trx.raw(`SELECT 'F' || lpad((count(*) + 1)::text, 4, '0') AS code FROM flood_spots`);
	await trx.raw(
		`INSERT INTO flood_spots (code, name, cause, severity, status, geom)
		 SELECT :code, :name, 'low_lying', 'medium', 'monitoring', ST_Project(b.anchor::geography, 10, pi())::geometry FROM buildings b WHERE b.id = :building`,
		{ code: rows[0].code, name: `${building.address ?? building.code}积水点`, building: building.id }
	);
	return 1;
}
