/**
 * What each user may see. Admin, planner and housing read everything; the others read their
 * territory, which comes from assignments, never from the account itself: a community admin
 * their community (社区书记/第一书记), a grid worker their grids, a building head their
 * buildings, a department the communities it liaises with. Anonymous callers see the area
 * outlines (codes and names) and nothing else.
 *
 * A territory is a geometry; every query that lists, counts, exports or tiles data takes it
 * as a bound parameter and keeps rows that lie in it (points covered, areas intersecting,
 * buildings by their anchor).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { held } from '../platform/held.js';

export type Scope =
	| { kind: 'all' }
	| { kind: 'outlines' }
	| {
			kind: 'territory';
			geojson: string | null;
			label: string;
			/** a short digest of the territory, so caches can tell territories apart (tile-cache.ts) */
			key?: string;
	  };

const CURRENT = held('a');

/**
 * The ids of the communities a person administers today (社区党委书记 or 第一书记 there);
 * :person bound. The one rule for what a community admin administers.
 */
export const ADMINISTERED_COMMUNITIES = `SELECT a.community_id FROM assignments a WHERE a.person_id = :person
	AND a.role IN ('community_secretary', 'first_secretary') AND ${CURRENT}`;

/** Whether a user administers a community: an admin every one, a community admin those ADMINISTERED_COMMUNITIES gives. */
export async function administers(knex: Knex, user: User, communityId: number): Promise<boolean> {
	if (user.role === 'admin') return true;
	if (user.role !== 'community_admin' || user.person_id == null) return false;
	const { rows } = await knex.raw(`SELECT 1 FROM (${ADMINISTERED_COMMUNITIES}) x WHERE x.community_id = :community`, { person: user.person_id, community: communityId });
	return rows.length > 0;
}

/** The SQL that unions a restricted role's territory; :person / :department bound. */
const TERRITORY_SQL: Record<string, string> = {
	community_admin: `SELECT ST_AsGeoJSON(ST_Union(c.geom)) AS g FROM communities c WHERE c.id IN (${ADMINISTERED_COMMUNITIES})`,
	grid_worker: `SELECT ST_AsGeoJSON(ST_Union(g.geom)) AS g FROM grids g
		WHERE g.id IN (SELECT a.grid_id FROM assignments a WHERE a.person_id = :person AND a.role = 'grid_worker' AND ${CURRENT})`,
	building_head: `SELECT ST_AsGeoJSON(ST_Union(b.geom)) AS g FROM buildings b
		WHERE b.id IN (SELECT a.building_id FROM assignments a WHERE a.person_id = :person AND a.role = 'building_head' AND ${CURRENT})`,
	department: `SELECT ST_AsGeoJSON(ST_Union(c.geom)) AS g FROM communities c
		WHERE c.id IN (SELECT l.community_id FROM community_liaisons l WHERE l.department_id = :department)`
};

const READ_ALL = new Set(['admin', 'planner', 'housing']);

/** Territories change with assignments; a few seconds of staleness is fine, a query per request is not. */
const cache = new Map<number, { scope: Scope; at: number }>();
const TTL_MS = 5_000;

export async function scopeFor(knex: Knex, user: User | null): Promise<Scope> {
	if (!user) return { kind: 'outlines' };
	if (READ_ALL.has(user.role)) return { kind: 'all' };
	const hit = cache.get(user.id);
	if (hit && Date.now() - hit.at < TTL_MS) return hit.scope;
	const { rows } = await knex.raw(TERRITORY_SQL[user.role], {
		person: user.person_id ?? -1,
		department: user.department_id ?? -1
	});
	const geojson: string | null = rows[0]?.g ?? null;
	const scope: Scope = { kind: 'territory', geojson, label: user.role, key: territoryKey(geojson) };
	cache.set(user.id, { scope, at: Date.now() });
	return scope;
}

/** A digest of a territory's outline: the same outline, the same key, whoever holds it. */
function territoryKey(geojson: string | null): string {
	return geojson === null ? 'none' : `t${createHash('sha256').update(geojson).digest('hex').slice(0, 24)}`;
}

/** What a cache of readable data keys on: 'all', 'outlines', or the territory's digest. */
export function scopeKey(scope: Scope): string {
	if (scope.kind !== 'territory') return scope.kind;
	return scope.key ?? territoryKey(scope.geojson);
}

/** Forget cached territories, after assignments change. */
export function forgetTerritories(): void {
	cache.clear();
}

export type Shape = 'point' | 'area' | 'within';

/**
 * The one territory filter, for tiles, lists, counts and records: a predicate over `column`
 * keeping what the scope may read, with its bindings. A point is inside when the territory
 * covers it (its boundary included). An area is inside when it shares more than a boundary
 * with the territory: a neighbouring grid or community that only touches it is outside
 * (issue 8), while the community and street around a grid worker's grid are inside. The
 * territory is an uncorrelated subquery, so PostgreSQL parses the GeoJSON once (an InitPlan).
 * 'within' keeps an area the territory covers whole — a record that belongs to the area as a
 * whole (a community's party member without a home building) is inside a community admin's
 * territory, not a grid worker's. The territory travels as GeoJSON with 9 decimals, so it is
 * widened by 1e-7° (about a centimetre) lest the rounding leave a boundary vertex outside.
 */
export function scopeFilter(scope: Scope, column: string, shape: Shape): { sql: string; bindings: Record<string, unknown> } {
	const variant = scopeVariant(scope);
	if (variant === 'all') return { sql: 'true', bindings: {} };
	if (variant !== 'territory') return { sql: 'false', bindings: {} };
	const territory = `(SELECT ST_SetSRID(ST_GeomFromGeoJSON(CAST(:territory AS text)), 4326))`;
	const test =
		shape === 'point'
			? `ST_Covers(${territory}, ${column})`
			: shape === 'within'
				? `ST_Covers((SELECT ST_Buffer(ST_SetSRID(ST_GeomFromGeoJSON(CAST(:territory AS text)), 4326), 1e-7)), ${column})`
				: `(ST_Intersects(${territory}, ${column}) AND NOT ST_Touches(${territory}, ${column}))`;
	return { sql: test, bindings: scopeBindings(scope) };
}

/**
 * Which text a statement filtered by this scope has: every caller of a variant sends the
 * same statement (prepared.ts builds it once), only the territory bound to it differs.
 */
export function scopeVariant(scope: Scope): 'all' | 'outlines' | 'territory' | 'no-territory' {
	if (scope.kind !== 'territory') return scope.kind;
	return scope.geojson === null ? 'no-territory' : 'territory';
}

/** What the filter of a scope binds: the territory, for a territory scope. */
export function scopeBindings(scope: Scope): Record<string, unknown> {
	return scope.kind === 'territory' && scope.geojson !== null ? { territory: scope.geojson } : {};
}
