/**
 * owner(point): who answers for a place — the building whose footprint holds it, its
 * compound, grid, community and street, each found on its own by point in polygon (so a
 * point in a street with no grids yet still names its street), with the people responsible
 * at a date. A point outside every grid falls to the nearest grid within
 * OWNER_FALLBACK_METERS (属地兜底) and says so; farther out it goes to the county queue.
 * One set-based statement answers one point or ten thousand.
 */
import type { Knex } from 'knex';
import type { AreaLevel } from '../domain/sample.js';
import { scopeFilter, type Scope } from './territory.js';
import { run } from './prepared.js';
import { held } from './held.js';

export const MAX_POINTS = 10_000;

export function fallbackMeters(): number {
	const value = Number(process.env.OWNER_FALLBACK_METERS ?? 200);
	return Number.isFinite(value) && value >= 0 ? value : 200;
}

export interface Person {
	role: string;
	code: string;
	name: string;
}
export interface OwnerArea {
	code: string;
	name: string;
	people?: Person[];
}
export interface Owner {
	point: [number, number];
	building: OwnerArea | null;
	compound: OwnerArea | null;
	grid: (OwnerArea & { fallback?: true; distance_m?: number }) | null;
	community: (OwnerArea & { lead_department?: { code: string; name: string } | null }) | null;
	street: OwnerArea | null;
	/** the grid is the nearest one within the fallback distance, not one holding the point */
	fallback: boolean;
	/** no grid holds the point or lies near it: the county's queue answers */
	county_queue: boolean;
}

const LEVELS = ['building', 'compound', 'grid', 'community', 'street'] as const;

/**
 * The people holding a role on one area at the day, as a JSON array ordered by role and
 * code — a correlated subquery on the assignment's indexed target column, so the areas and
 * their people come back in one statement (one round trip per request, however many points).
 */
function peopleOn(column: string, id: string): string {
	return `(SELECT coalesce(json_agg(json_build_object('role', a.role, 'code', p.code, 'name', p.name) ORDER BY a.role, p.code), '[]'::json)
		FROM assignments a JOIN people p ON p.id = a.person_id
		WHERE a.${column} = ${id} AND ${held('a', 'coalesce(CAST(:day AS date), current_date)')})`;
}

/**
 * One row per point: each level's covering area with the lowest code (ties on shared edges
 * are decided the same way everywhere), and for points outside every grid the nearest grid
 * within the fallback distance — prefiltered on the indexed geometry by a box in degrees
 * that is never smaller than the distance, then measured on the spheroid. The parent
 * lookups of a fallback grid carry LIMIT 1 so that they stay key lookups: flattened, the
 * planner hashed all communities and streets for every request.
 */
const OWNER_SQL = `
WITH pts AS (
	SELECT ord::int AS ord, ST_SetSRID(ST_MakePoint((p->>0)::float8, (p->>1)::float8), 4326) AS g
	FROM json_array_elements(CAST(:points AS json)) WITH ORDINALITY AS u(p, ord)
)
SELECT pts.ord,
	b.id AS building_id, b.code AS building_code, b.name AS building_name,
	k.id AS compound_id, k.code AS compound_code, k.name AS compound_name,
	coalesce(g.id, f.id) AS grid_id, coalesce(g.code, f.code) AS grid_code, coalesce(g.name, f.name) AS grid_name,
	f.distance AS fallback_distance,
	coalesce(c.id, fc.id) AS community_id, coalesce(c.code, fc.code) AS community_code, coalesce(c.name, fc.name) AS community_name,
	coalesce(s.id, fs.id) AS street_id, coalesce(s.code, fs.code) AS street_code, coalesce(s.name, fs.name) AS street_name,
	v.in_scope,
	CASE WHEN v.people THEN ${peopleOn('building_id', 'b.id')} END AS building_people,
	CASE WHEN v.people THEN ${peopleOn('compound_id', 'k.id')} END AS compound_people,
	CASE WHEN v.people THEN ${peopleOn('grid_id', 'coalesce(g.id, f.id)')} END AS grid_people,
	CASE WHEN v.people THEN ${peopleOn('community_id', 'coalesce(c.id, fc.id)')} END AS community_people,
	CASE WHEN v.people THEN ${peopleOn('street_id', 'coalesce(s.id, fs.id)')} END AS street_people,
	CASE WHEN v.people THEN (
		SELECT json_build_object('code', d.code, 'name', d.name) FROM community_liaisons l JOIN departments d ON d.id = l.department_id
		WHERE l.is_lead AND l.community_id = coalesce(c.id, fc.id)
	) END AS lead_department
FROM pts
LEFT JOIN LATERAL (SELECT id, code, coalesce(address, name, code) AS name FROM buildings WHERE ST_Covers(geom, pts.g) ORDER BY code LIMIT 1) b ON true
LEFT JOIN LATERAL (SELECT id, code, name FROM compounds WHERE ST_Covers(geom, pts.g) ORDER BY code LIMIT 1) k ON true
LEFT JOIN LATERAL (SELECT id, code, name, community_id FROM grids WHERE ST_Covers(geom, pts.g) ORDER BY code LIMIT 1) g ON true
LEFT JOIN LATERAL (
	SELECT id, code, name, community_id, distance FROM (
		SELECT id, code, name, community_id, ST_Distance(geom::geography, pts.g::geography) AS distance
		FROM grids
		WHERE g.id IS NULL
		  AND geom && ST_Expand(pts.g, :meters / 110000.0 / greatest(cos(radians(ST_Y(pts.g))), 0.01))
	) near WHERE distance <= :meters ORDER BY distance, code LIMIT 1
) f ON true
LEFT JOIN LATERAL (SELECT id, code, name, street_id FROM communities WHERE ST_Covers(geom, pts.g) ORDER BY code LIMIT 1) c ON true
LEFT JOIN LATERAL (SELECT id, code, name, street_id FROM communities WHERE c.id IS NULL AND id = f.community_id LIMIT 1) fc ON true
LEFT JOIN LATERAL (SELECT id, code, name FROM streets WHERE ST_Covers(geom, pts.g) ORDER BY code LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT id, code, name FROM streets WHERE s.id IS NULL AND id = coalesce(c.street_id, fc.street_id) LIMIT 1) fs ON true
CROSS JOIN LATERAL (SELECT in_scope, CAST(:people AS boolean) AND in_scope AS people FROM (SELECT %IN_SCOPE% AS in_scope) t) v
ORDER BY pts.ord`;

/**
 * As of a past date, grids and communities have the outlines they had then: the current one
 * if it took effect by that day, else the version in force (boundary_versions).
 */
const AS_OF = `grids_at AS (
	SELECT id, code, name, community_id, geom FROM grids WHERE boundary_valid_from <= CAST(:at AS date)
	UNION ALL
	SELECT g.id, g.code, g.name, g.community_id, v.geom FROM boundary_versions v JOIN grids g ON g.id = v.area_id
	WHERE v.level = 'grid' AND v.valid_from <= CAST(:at AS date) AND v.valid_to > CAST(:at AS date)
), communities_at AS (
	SELECT id, code, name, street_id, geom FROM communities WHERE boundary_valid_from <= CAST(:at AS date)
	UNION ALL
	SELECT c.id, c.code, c.name, c.street_id, v.geom FROM boundary_versions v JOIN communities c ON c.id = v.area_id
	WHERE v.level = 'community' AND v.valid_from <= CAST(:at AS date) AND v.valid_to > CAST(:at AS date)
), `;

function asOf(sql: string): string {
	return sql
		.replaceAll('FROM grids', 'FROM grids_at')
		.replaceAll('FROM communities', 'FROM communities_at')
		.replace('WITH pts AS (', `WITH ${AS_OF}pts AS (`);
}

type Row = Record<string, unknown> & { ord: number; fallback_distance: number | null; lead_department: { code: string; name: string } | null };

export interface OwnerOptions {
	/** YYYY-MM-DD: the people responsible on that day (default today) */
	at?: string;
	/**
	 * Whose people the caller may see: everywhere ('all'), at points inside their territory,
	 * or nowhere (anonymous: areas only).
	 */
	scope: Scope;
}

export async function owners(knex: Knex, points: [number, number][], opts: OwnerOptions): Promise<Owner[]> {
	const inScope = scopeFilter(opts.scope, 'pts.g', 'point');
	// Today's answer uses the tables and their indexes directly; a past date reads history.
	const sql = OWNER_SQL.replace('%IN_SCOPE%', inScope.sql);
	const rows = await run<Row>(knex, opts.at ? asOf(sql) : sql, {
		points: JSON.stringify(points),
		meters: fallbackMeters(),
		people: opts.scope.kind !== 'outlines',
		day: opts.at ?? null,
		...(opts.at ? { at: opts.at } : {}),
		...inScope.bindings
	});
	return rows.map((row) => {
		const area = (level: (typeof LEVELS)[number]): OwnerArea | null => {
			const id = row[`${level}_id`] as number | null;
			if (id == null) return null;
			const out: OwnerArea = { code: row[`${level}_code`] as string, name: row[`${level}_name`] as string };
			const people = row[`${level}_people`] as Person[] | null;
			if (people) out.people = people;
			return out;
		};
		const grid = area('grid');
		const fallback = grid !== null && row.fallback_distance !== null;
		const community = area('community');
		return {
			point: points[row.ord - 1],
			building: area('building'),
			compound: area('compound'),
			grid: grid && fallback ? { ...grid, fallback: true, distance_m: Math.round(Number(row.fallback_distance) * 10) / 10 } : grid,
			community: community && community.people ? { ...community, lead_department: row.lead_department ?? null } : community,
			street: area('street'),
			fallback,
			county_queue: grid === null
		};
	});
}

export type { AreaLevel };
