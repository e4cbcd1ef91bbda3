/**
 * owner(point): who answers for a place — the building whose footprint holds it, its
 * compound, grid, community and street, each found on its own by point in polygon (so a
 * point in a street with no grids yet still names its street), with the people responsible
 * at a date. A point outside every grid falls to the nearest grid within
 * OWNER_FALLBACK_METERS (属地兜底) and says so; farther out it goes to the county queue.
 * One set-based statement answers one point or ten thousand.
 */
import type { Knex } from 'knex';
import type { AreaLevel } from '../domain/glossary.js';
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
 * One level of the answer as JSON: null when no area was found, else its code and name;
 * `always` adds keys to every answer, `withPeople` only to one that also shows the people
 * (when the caller may see them: `v.people`).
 */
function areaJson(id: string, code: string, name: string, column: string, keys: { always?: string; withPeople?: string } = {}): string {
	const always = keys.always ?? '';
	return `CASE WHEN ${id} IS NULL THEN NULL
		WHEN v.people THEN json_build_object('code', ${code}, 'name', ${name}, 'people', ${peopleOn(column, id)}${always}${keys.withPeople ?? ''})
		ELSE json_build_object('code', ${code}, 'name', ${name}${always}) END`;
}

const GRID_ID = 'coalesce(g.id, f.id)';
const COMMUNITY_ID = 'coalesce(c.id, fc.id)';
const STREET_ID = 'coalesce(s.id, fs.id)';
const FALLBACK = `, 'fallback', true, 'distance_m', round(f.distance::numeric, 1)`;
// Two key lookups (a community has one lead unit); as a join, the planner hashed all
// departments for every point.
const LEAD = `(SELECT json_build_object('code', d.code, 'name', d.name) FROM departments d
		WHERE d.id = (SELECT l.department_id FROM community_liaisons l WHERE l.is_lead AND l.community_id = ${COMMUNITY_ID}))`;

/**
 * One row per point with its whole answer built as JSON by PostgreSQL (the server passes
 * the text on): each level's covering area with the lowest code (ties on shared edges are
 * decided the same way everywhere), and for points outside every grid the nearest grid
 * within the fallback distance — prefiltered on the indexed geometry by a box in degrees
 * that is never smaller than the distance, then measured on the spheroid. The parent
 * lookups of a fallback grid carry LIMIT 1 so that they stay key lookups: flattened, the
 * planner hashed all communities and streets for every request.
 */
const OWNER_SQL = `
WITH pts AS (
	SELECT ord::int AS ord, p, ST_SetSRID(ST_MakePoint((p->>0)::float8, (p->>1)::float8), 4326) AS g
	FROM json_array_elements(CAST(:points AS json)) WITH ORDINALITY AS u(p, ord)
)
SELECT pts.ord, json_build_object(
	'point', pts.p,
	'building', ${areaJson('b.id', 'b.code', 'b.name', 'building_id')},
	'compound', ${areaJson('k.id', 'k.code', 'k.name', 'compound_id')},
	'grid', CASE WHEN f.id IS NULL THEN ${areaJson(GRID_ID, 'g.code', 'g.name', 'grid_id')}
		ELSE ${areaJson(GRID_ID, 'f.code', 'f.name', 'grid_id', { always: FALLBACK })} END,
	'community', ${areaJson(COMMUNITY_ID, 'coalesce(c.code, fc.code)', 'coalesce(c.name, fc.name)', 'community_id', { withPeople: `, 'lead_department', ${LEAD}` })},
	'street', ${areaJson(STREET_ID, 'coalesce(s.code, fs.code)', 'coalesce(s.name, fs.name)', 'street_id')},
	'fallback', f.id IS NOT NULL,
	'county_queue', ${GRID_ID} IS NULL
)%TEXT% AS answer
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


export interface OwnerOptions {
	/** YYYY-MM-DD: the people responsible on that day (default today) */
	at?: string;
	/**
	 * Whose people the caller may see: everywhere ('all'), at points inside their territory,
	 * or nowhere (anonymous: areas only).
	 */
	scope: Scope;
}

/** The statement and bindings for the points, the answer as json or as text. */
function ownerQuery(points: [number, number][], opts: OwnerOptions, as: 'json' | 'text') {
	const inScope = scopeFilter(opts.scope, 'pts.g', 'point');
	// Today's answer uses the tables and their indexes directly; a past date reads history.
	const sql = OWNER_SQL.replace('%IN_SCOPE%', inScope.sql).replace('%TEXT%', as === 'text' ? '::text' : '');
	return {
		sql: opts.at ? asOf(sql) : sql,
		bindings: {
			points: JSON.stringify(points),
			meters: fallbackMeters(),
			people: opts.scope.kind !== 'outlines',
			day: opts.at ?? null,
			...(opts.at ? { at: opts.at } : {}),
			...inScope.bindings
		}
	};
}

/** The owner of each point, in order. */
export async function owners(knex: Knex, points: [number, number][], opts: OwnerOptions): Promise<Owner[]> {
	const { sql, bindings } = ownerQuery(points, opts, 'json');
	const rows = await run<{ answer: Owner }>(knex, sql, bindings);
	return rows.map((row) => row.answer);
}

/**
 * The owner of one point as JSON text, straight from PostgreSQL, for the HTTP answer: the
 * server neither parses nor re-serialises it.
 */
export async function ownerText(knex: Knex, point: [number, number], opts: OwnerOptions): Promise<string> {
	const { sql, bindings } = ownerQuery([point], opts, 'text');
	const rows = await run<{ answer: string }>(knex, sql, bindings);
	return rows[0].answer;
}

export type { AreaLevel };
