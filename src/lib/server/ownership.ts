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
 * One row per point: each level's covering area with the lowest code (ties on shared edges
 * are decided the same way everywhere), and for points outside every grid the nearest grid
 * within the fallback distance — prefiltered on the indexed geometry by a box in degrees
 * that is never smaller than the distance, then measured on the spheroid.
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
	%IN_SCOPE% AS in_scope
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
LEFT JOIN LATERAL (SELECT id, code, name, street_id FROM communities WHERE c.id IS NULL AND id = f.community_id) fc ON true
LEFT JOIN LATERAL (SELECT id, code, name FROM streets WHERE ST_Covers(geom, pts.g) ORDER BY code LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT id, code, name FROM streets WHERE s.id IS NULL AND id = coalesce(c.street_id, fc.street_id)) fs ON true
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

type Row = Record<string, unknown> & { ord: number; fallback_distance: number | null };

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
		...(opts.at ? { at: opts.at } : {}),
		...inScope.bindings
	});
	const visible = rows.filter((row) => row.in_scope);
	const people = opts.scope.kind === 'outlines' ? null : await peopleOf(knex, visible, opts.at);
	return rows.map((row) => {
		const area = (level: (typeof LEVELS)[number]): OwnerArea | null => {
			const id = row[`${level}_id`] as number | null;
			if (id == null) return null;
			const out: OwnerArea = { code: row[`${level}_code`] as string, name: row[`${level}_name`] as string };
			if (people && row.in_scope) out.people = people.get(`${level}:${id}`) ?? [];
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
			community: community && people && row.in_scope ? { ...community, lead_department: people.lead.get(row.community_id as number) ?? null } : community,
			street: area('street'),
			fallback,
			county_queue: grid === null
		};
	});
}

/** The people on each area of the answer, at the date; one query per kind of target. */
async function peopleOf(knex: Knex, rows: Row[], at?: string) {
	const ids = (level: string) => [...new Set(rows.map((r) => r[`${level}_id`]).filter((id) => id != null))] as number[];
	const byTarget = new Map<string, Person[]>() as Map<string, Person[]> & { lead: Map<number, { code: string; name: string }> };
	byTarget.lead = new Map();
	const day = at ?? new Date().toISOString().slice(0, 10);
	for (const level of LEVELS) {
		const targets = ids(level);
		if (!targets.length) continue;
		const found = await run<Person & { target: number }>(
			knex,
			`SELECT a.:column: AS target, a.role, p.code, p.name
			 FROM assignments a JOIN people p ON p.id = a.person_id
			 WHERE a.:column: IN (SELECT (value #>> '{}')::int FROM json_array_elements(CAST(:targets AS json)))
			   AND ${held('a', 'CAST(:day AS date)')}
			 ORDER BY a.role, p.code`,
			{ column: `${level}_id`, targets: JSON.stringify(targets), day }
		);
		for (const r of found) {
			const key = `${level}:${r.target}`;
			byTarget.set(key, [...(byTarget.get(key) ?? []), { role: r.role, code: r.code, name: r.name }]);
		}
	}
	const communities = ids('community');
	if (communities.length) {
		const leads = await run(
			knex,
			`SELECT l.community_id, d.code, d.name FROM community_liaisons l JOIN departments d ON d.id = l.department_id
			 WHERE l.is_lead AND l.community_id IN (SELECT (value #>> '{}')::int FROM json_array_elements(CAST(:ids AS json)))`,
			{ ids: JSON.stringify(communities) }
		);
		for (const l of leads as { community_id: number; code: string; name: string }[]) byTarget.lead.set(l.community_id, { code: l.code, name: l.name });
	}
	return byTarget;
}

export type { AreaLevel };
