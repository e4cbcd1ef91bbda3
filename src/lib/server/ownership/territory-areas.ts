/**
 * The communities a caller's territory is made of, for pages that frame a map on it or say
 * whose figures they show (issue 21: "/three-ones titled by whose it is"; the maps of
 * /service-lists and /dual-reporting framed on the community with its outline). A community
 * belongs when it shares more than a boundary with the territory — the same rule as every
 * area in territory.ts, so a grid worker's community is theirs and its neighbours are not.
 */
import type { Knex } from 'knex';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { User } from '../accounts/user.js';
import { scopeFilter, type Scope } from './territory.js';

export type CommunityOutlines = FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>;

/** The outlines (6 decimals, about 0.1 m) of the communities the caller may read, by code. */
export async function communityOutlines(knex: Knex, scope: Scope): Promise<CommunityOutlines> {
	const inScope = scopeFilter(scope, 'c.geom', 'area');
	const { rows } = await knex.raw(
		`SELECT c.code, c.name, ST_AsGeoJSON(c.geom, 6)::json AS geometry FROM communities c WHERE ${inScope.sql} ORDER BY c.code`,
		inScope.bindings
	);
	return {
		type: 'FeatureCollection',
		features: rows.map((r: { code: string; name: string; geometry: Polygon | MultiPolygon }) => ({
			type: 'Feature',
			geometry: r.geometry,
			properties: { code: r.code, name: r.name }
		}))
	};
}

/**
 * Whose a page's figures are: the county's for those who read everything, a department's
 * (its liaison communities), or the caller's communities by name.
 */
export type Whose = { kind: 'county' } | { kind: 'department'; name: string } | { kind: 'communities'; names: string[] };

export async function whoseTerritory(knex: Knex, user: User, scope: Scope): Promise<Whose> {
	if (scope.kind === 'all') return { kind: 'county' };
	if (user.role === 'department' && user.department_id !== null) {
		const department = await knex('departments').where({ id: user.department_id }).first('name');
		if (department) return { kind: 'department', name: department.name };
	}
	const inScope = scopeFilter(scope, 'c.geom', 'area');
	const { rows } = await knex.raw(`SELECT c.name FROM communities c WHERE ${inScope.sql} ORDER BY c.code`, inScope.bindings);
	return { kind: 'communities', names: rows.map((r: { name: string }) => r.name) };
}
