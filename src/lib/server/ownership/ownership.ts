/**
 * owner(point): who answers for a place — the building whose footprint holds it, its
 * compound, grid, community and street, each found on its own by point in polygon (so a
 * point in a street with no grids yet still names its street), with the people responsible
 * at a date. A point outside every grid falls to the nearest grid within
 * OWNER_FALLBACK_METERS (属地兜底) and says so; farther out it goes to the county queue.
 * One set-based statement answers one point or ten thousand.
 */
import type { Knex } from 'knex';
import type { AreaLevel } from '../../domain/glossary.js';
import { scopeFilter, type Scope } from './territory.js';
import { run, statementFor } from '../platform/prepared.js';
import { peopleJsonSql, type PeopleSource } from './people.js';
import type { JsonText } from '../platform/json-text.js';

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
 * One level of the answer as JSON: null when no area was found, else its code and name;
 * `always` adds keys to every answer, `withPeople` only to one that also shows the people
 * (when the caller may see them: `v.people`).
 */
function areaJson(id: string, code: string, name: string, column: PeopleSource['column'], keys: { always?: string; withPeople?: string } = {}): string {
	const always = keys.always ?? '';
	return `CASE WHEN ${id} IS NULL THEN NULL
		WHEN v.people THEN json_build_object('code', ${code}, 'name', ${name}, 'people', ${peopleJsonSql([{ column, id }], DAY)}${always}${keys.withPeople ?? ''})
		ELSE json_build_object('code', ${code}, 'name', ${name}${always}) END`;
}

/** The day the people are asked for: the request's, else today. */
const DAY = 'coalesce(CAST(:day AS date), current_date)';
const GRID_ID = 'coalesce(g.id, f.id)';
const COMMUNITY_ID = 'coalesce(c.id, fc.id)';
const STREET_ID = 'coalesce(s.id, fs.id)';
const FALLBACK = `, 'fallback', true, 'distance_m', round(f.distance::numeric, 1)`;
// Two key lookups (a community has one lead unit); as a join, the planner hashed all
// departments for every point.
const LEAD = `(SELECT json_build_object('code', d.code, 'name', d.name) FROM departments d
		WHERE d.id = (SELECT l.department_id FROM community_liaisons l WHERE l.is_lead AND l.community_id = ${COMMUNITY_ID}))`;

/**
 * Where owner(point) reads grid and community outlines: today's tables, or the outlines in
 * force on a past day (boundary history). Both through the covering functions of migration
 * 0350, the one rule for the area covering a point.
 */
interface Outlines {
	coveringGrid: string;
	coveringCommunity: string;
	grids: string;
	communities: string;
}
const TODAY: Outlines = {
	coveringGrid: 'covering_grid(pts.g)',
	coveringCommunity: 'covering_community(pts.g)',
	grids: 'grids',
	communities: 'communities'
};
const AS_OF: Outlines = {
	coveringGrid: 'covering_grid_on(pts.g, CAST(:at AS date))',
	coveringCommunity: 'covering_community_on(pts.g, CAST(:at AS date))',
	grids: 'grids_on(CAST(:at AS date))',
	communities: 'communities_on(CAST(:at AS date))'
};

/**
 * One row per point with its whole answer as JSON text built by PostgreSQL (the server passes
 * it on): each level's covering area (migration 0350's covering functions: ties on shared
 * edges are decided the same way everywhere), and for points outside every grid the nearest grid
 * within the fallback distance — prefiltered on the indexed geometry by a box in degrees
 * that is never smaller than the distance, then measured on the spheroid. The parent
 * lookups of a fallback grid carry LIMIT 1 so that they stay key lookups: flattened, the
 * planner hashed all communities and streets for every request. `inScope` says whether the
 * caller may see the people at the point (territory.ts).
 */
function ownerSql(outlines: Outlines, inScope: string): string {
	return `
WITH pts AS (
	SELECT ord::int AS ord, p, ST_SetSRID(ST_MakePoint((p->>0)::float8, (p->>1)::float8), 4326) AS g
	FROM json_array_elements(CAST(:points AS json)) WITH ORDINALITY AS u(p, ord)
)
SELECT pts.ord, json_build_object(
	'point', pts.p,
	'building', ${areaJson('b.id', 'b.code', 'coalesce(b.address, b.name, b.code)', 'building_id')},
	'compound', ${areaJson('k.id', 'k.code', 'k.name', 'compound_id')},
	'grid', CASE WHEN f.id IS NULL THEN ${areaJson(GRID_ID, 'g.code', 'g.name', 'grid_id')}
		ELSE ${areaJson(GRID_ID, 'f.code', 'f.name', 'grid_id', { always: FALLBACK })} END,
	'community', ${areaJson(COMMUNITY_ID, 'coalesce(c.code, fc.code)', 'coalesce(c.name, fc.name)', 'community_id', { withPeople: `, 'lead_department', ${LEAD}` })},
	'street', ${areaJson(STREET_ID, 'coalesce(s.code, fs.code)', 'coalesce(s.name, fs.name)', 'street_id')},
	'fallback', f.id IS NOT NULL,
	'county_queue', ${GRID_ID} IS NULL
)::text AS answer
FROM pts
LEFT JOIN LATERAL covering_building(pts.g) b ON true
LEFT JOIN LATERAL covering_compound(pts.g) k ON true
LEFT JOIN LATERAL ${outlines.coveringGrid} g ON true
LEFT JOIN LATERAL (
	SELECT id, code, name, community_id, distance FROM (
		SELECT id, code, name, community_id, ST_Distance(geom::geography, pts.g::geography) AS distance
		FROM ${outlines.grids} near
		WHERE g.id IS NULL
		  AND geom && ST_Expand(pts.g, :meters / 110000.0 / greatest(cos(radians(ST_Y(pts.g))), 0.01))
	) candidates WHERE distance <= :meters ORDER BY distance, code LIMIT 1
) f ON true
LEFT JOIN LATERAL ${outlines.coveringCommunity} c ON true
LEFT JOIN LATERAL (SELECT o.id, o.code, o.name, o.street_id FROM ${outlines.communities} o WHERE c.id IS NULL AND o.id = f.community_id LIMIT 1) fc ON true
LEFT JOIN LATERAL covering_street(pts.g) s ON true
LEFT JOIN LATERAL (SELECT id, code, name FROM streets WHERE s.id IS NULL AND id = coalesce(c.street_id, fc.street_id) LIMIT 1) fs ON true
CROSS JOIN LATERAL (SELECT in_scope, CAST(:people AS boolean) AND in_scope AS people FROM (SELECT ${inScope} AS in_scope) t) v
ORDER BY pts.ord`;
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

/** The statement and bindings for the points. Today's answer uses the tables and their indexes directly; a past date reads history. */
export function ownerQuery(points: [number, number][], opts: OwnerOptions) {
	const statement = statementFor(`owner:${opts.at ? 'past' : 'today'}`, opts.scope, () => {
		const inScope = scopeFilter(opts.scope, 'pts.g', 'point');
		return { sql: ownerSql(opts.at ? AS_OF : TODAY, inScope.sql), bindings: inScope.bindings };
	});
	return {
		sql: statement.sql,
		bindings: {
			...statement.bindings,
			points: JSON.stringify(points),
			meters: fallbackMeters(),
			people: opts.scope.kind !== 'outlines',
			day: opts.at ?? null,
			...(opts.at ? { at: opts.at } : {})
		}
	};
}

/** The owner of each point, in order, each as JSON text (an Owner): the HTTP answer passes it on unparsed. */
export async function owners(knex: Knex, points: [number, number][], opts: OwnerOptions): Promise<JsonText<Owner>[]> {
	const { sql, bindings } = ownerQuery(points, opts);
	const rows = await run<{ answer: string }>(knex, sql, bindings);
	return rows.map((row) => row.answer);
}

export type { AreaLevel };
