/**
 * Row counts per layer, for /api/stats and for checking that two backends hold the same
 * data. County totals are public statistics (the seed's own article publishes them); a
 * signed-in user with a territory gets the counts inside it.
 */
import type { Knex } from 'knex';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { held } from './held.js';

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

export async function read(knex: Knex, scope: Scope = { kind: 'all' }): Promise<Stats> {
	if (scope.kind !== 'territory') {
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
		return numbers(rows[0]);
	}
	const area = (column: string) => scopeFilter(scope, column, 'area');
	const point = (column: string) => scopeFilter(scope, column, 'point');
	const parts = {
		streets: area('geom'),
		communities: area('geom'),
		grids: area('geom'),
		compounds: area('geom'),
		buildings: point('anchor'),
		issues: point('geom'),
		renovation: area('geom'),
		flood: area('geom')
	};
	const tables: Record<keyof typeof parts, string> = {
		streets: 'streets',
		communities: 'communities',
		grids: 'grids',
		compounds: 'compounds',
		buildings: 'buildings',
		issues: 'issues',
		renovation: 'renovation_projects',
		flood: 'flood_spots'
	};
	const select = Object.entries(parts)
		.map(([key, filter]) => `(SELECT count(*) FROM ${tables[key as keyof typeof parts]} WHERE ${filter.sql}) AS ${key}`)
		.join(',\n');
	// People of the territory: those assigned to a building or area inside it.
	const people = `(SELECT count(DISTINCT a.person_id) FROM assignments a
		LEFT JOIN buildings b ON b.id = a.building_id LEFT JOIN grids g ON g.id = a.grid_id
		LEFT JOIN compounds k ON k.id = a.compound_id LEFT JOIN communities c ON c.id = a.community_id
		WHERE ${held('a')} AND (${point('b.anchor').sql} OR ${area('g.geom').sql} OR ${area('k.geom').sql} OR ${area('c.geom').sql})) AS people`;
	const { rows } = await knex.raw(`SELECT ${select}, ${people}`, { territory: scope.geojson });
	return numbers(rows[0]);
}

function numbers(row: Record<string, unknown>): Stats {
	return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as Stats;
}
