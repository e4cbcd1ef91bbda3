/**
 * A field worker's buildings — a grid worker's grids, a building head's buildings, a
 * community admin's community — nearest first from where they stand, each with its heads,
 * households and open issues.
 */
import type { Knex } from 'knex';
import { openSql } from '../domain/issues.js';
import { scopeFilter, type Scope } from './territory.js';
import { held } from './held.js';
import { json, type Call, type Reply } from './endpoint.js';
import { fail } from './errors.js';
import { queryNumber } from './params.js';

export interface MyBuilding {
	code: string;
	address: string | null;
	grid_code: string | null;
	grid_name: string | null;
	floors: number | null;
	households: number;
	heads: { role: string; name: string; phone: string | null }[];
	open_issues: number;
	lng: number;
	lat: number;
	/** metres from the given position; null without one */
	distance_m: number | null;
}

const CURRENT = held('a');
export async function list(knex: Knex, scope: Scope, from: [number, number] | null, limit = 200): Promise<MyBuilding[]> {
	const inScope = scopeFilter(scope, 'b.anchor', 'point');
	const { rows } = await knex.raw(
		`SELECT b.code, b.address, g.code AS grid_code, g.name AS grid_name, b.floors, b.households,
			coalesce((SELECT json_agg(json_build_object('role', a.role, 'name', p.name, 'phone', p.phone) ORDER BY a.role, p.code)
			          FROM assignments a JOIN people p ON p.id = a.person_id
			          WHERE a.building_id = b.id AND a.role IN ('building_head', 'party_group_leader') AND ${CURRENT}), '[]'::json) AS heads,
			(SELECT count(*)::int FROM issues i WHERE ST_Covers(b.geom, i.geom) AND ${openSql('i')}) AS open_issues,
			ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat,
			CASE WHEN CAST(:lng AS float8) IS NULL THEN NULL
			     ELSE ST_Distance(b.anchor::geography, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography) END AS distance_m
		 FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id
		 WHERE ${inScope.sql}
		 ORDER BY distance_m NULLS LAST, b.code
		 LIMIT :limit`,
		{ lng: from?.[0] ?? null, lat: from?.[1] ?? null, limit, ...inScope.bindings }
	);
	return rows.map((r: MyBuilding) => ({
		...r,
		lng: Number(r.lng),
		lat: Number(r.lat),
		distance_m: r.distance_m == null ? null : Math.round(Number(r.distance_m))
	}));
}

/** GET /api/me/buildings[?lng=&lat=]: the caller's buildings, nearest first from the position when given. */
export async function getMine(call: Call): Promise<Reply> {
	if (!call.user) fail(401, 'sign in to see your buildings');
	const hasPosition = call.query.has('lng') || call.query.has('lat');
	const from: [number, number] | null = hasPosition ? [queryNumber(call.query, 'lng', -180, 180), queryNumber(call.query, 'lat', -90, 90)] : null;
	return json({ buildings: await list(call.db.knex, call.scope, from) });
}
