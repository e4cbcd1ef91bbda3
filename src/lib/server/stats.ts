/** Row counts per layer, for /api/stats and for checking that two backends hold the same data. */
import type { Knex } from 'knex';

export interface Stats {
	streets: number;
	communities: number;
	grids: number;
	compounds: number;
	buildings: number;
	issues: number;
	renovation: number;
	flood: number;
	people: number;
}

export async function read(knex: Knex): Promise<Stats> {
	const { rows } = await knex.raw<{ rows: Record<keyof Stats, string>[] }>(`
		SELECT
			(SELECT count(*) FROM streets) AS streets,
			(SELECT count(*) FROM communities) AS communities,
			(SELECT count(*) FROM grids) AS grids,
			(SELECT count(*) FROM compounds) AS compounds,
			(SELECT count(*) FROM buildings) AS buildings,
			(SELECT count(*) FROM issues) AS issues,
			(SELECT count(*) FROM renovation_projects) AS renovation,
			(SELECT count(*) FROM flood_spots) AS flood,
			(SELECT count(*) FROM people) AS people`);
	const row = rows[0];
	return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as Stats;
}
