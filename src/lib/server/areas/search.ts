/**
 * Search: an area by name or code, a building by address, a person by name (contained in
 * it; a query under three characters: starting it). One statement over every kind, so
 * ranking is global: an exact code first, then an exact name, then names
 * that start with the text, then by level (street before building) and shorter names.
 * What a caller finds follows their scope, as the area API does: anyone finds the outlines
 * (streets, communities, grids, compounds); buildings and people need a sign-in, and a
 * territory finds only what lies in it.
 */
import type { Knex } from 'knex';
import type { AreaLevel, Role } from '../../domain/glossary.js';
import { label } from '../../i18n.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { held } from '../platform/held.js';

export const SEARCH_KINDS = ['street', 'community', 'grid', 'compound', 'building', 'person'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 50;

export interface PersonAssignment {
	role: Role;
	level: AreaLevel;
	code: string;
	name: string;
}

export interface SearchResult {
	kind: SearchKind;
	code: string;
	name: string;
	subtitle: string | null;
	/** [west, south, east, north] in WGS84 */
	bbox: [number, number, number, number];
	/** for a person: the current assignments the bbox covers */
	assignments?: PersonAssignment[];
}

export interface SearchQuery {
	q: string;
	limit: number;
}

/** `%`, `_` and the escape character itself match literally (LIKE's default escape is `\`). */
export function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// Each branch yields (kind, code, name, subtitle, geom, level_rank, extra); people carry the
// union of the geometries of their current assignments (valid_to, exclusive, not yet reached).
// The visibility predicates come from territory.ts (code, not input) and bind :territory.
function searchSql(visible: { area: (alias: string) => string; building: string; target: string }): string {
	return `
WITH hits AS (
	SELECT 'street' AS kind, s.code, s.name, NULL::text AS subtitle, s.geom, 0 AS level_rank, NULL::json AS extra
	FROM streets s
	WHERE (s.name ILIKE :pattern OR s.code ILIKE :pattern) AND ${visible.area('s')}
	UNION ALL
	SELECT 'community', c.code, c.name, s.name, c.geom, 1, NULL::json
	FROM communities c JOIN streets s ON s.id = c.street_id
	WHERE (c.name ILIKE :pattern OR c.code ILIKE :pattern) AND ${visible.area('c')}
	UNION ALL
	SELECT 'grid', g.code, g.name, c.name, g.geom, 2, NULL::json
	FROM grids g JOIN communities c ON c.id = g.community_id
	WHERE (g.name ILIKE :pattern OR g.code ILIKE :pattern) AND ${visible.area('g')}
	UNION ALL
	SELECT 'compound', k.code, k.name, c.name, k.geom, 3, NULL::json
	FROM compounds k JOIN communities c ON c.id = k.community_id
	WHERE (k.name ILIKE :pattern OR k.code ILIKE :pattern) AND ${visible.area('k')}
	UNION ALL
	SELECT 'building', b.code, coalesce(b.name, b.address, b.code), b.address, b.geom, 4, NULL::json
	FROM buildings b
	WHERE (b.address ILIKE :pattern OR b.name ILIKE :pattern OR b.code ILIKE :pattern) AND ${visible.building}
	UNION ALL
	SELECT 'person', p.code, p.name, NULL, ST_Collect(t.geom), 5,
		json_agg(json_build_object('role', a.role, 'level', t.level, 'code', t.code, 'name', t.name) ORDER BY a.role, t.code)
	FROM people p
	JOIN assignments a ON a.person_id = p.id
		AND ${held('a')}
	JOIN LATERAL (
		SELECT 'street' AS level, code, name, geom FROM streets WHERE id = a.street_id
		UNION ALL SELECT 'community', code, name, geom FROM communities WHERE id = a.community_id
		UNION ALL SELECT 'grid', code, name, geom FROM grids WHERE id = a.grid_id
		UNION ALL SELECT 'compound', code, name, geom FROM compounds WHERE id = a.compound_id
		UNION ALL SELECT 'building', code, coalesce(name, address, code), geom FROM buildings WHERE id = a.building_id
	) t ON ${visible.target}
	WHERE p.name ILIKE :pattern OR p.code ILIKE :pattern
	GROUP BY p.id, p.code, p.name
)
SELECT kind, code, name, subtitle, extra,
	ST_XMin(geom) AS west, ST_YMin(geom) AS south, ST_XMax(geom) AS east, ST_YMax(geom) AS north
FROM hits
ORDER BY lower(code) = lower(:q) DESC, name = :q DESC, name ILIKE :prefix DESC, level_rank, char_length(name), code
LIMIT :limit`;
}

/** What the scope may find: outlines for everyone, buildings and people for a signed-in scope. */
function visibility(scope: Scope) {
	const target = scopeFilter(scope, 't.geom', 'area');
	const building = scopeFilter(scope, 'b.anchor', 'point');
	return {
		sql: {
			area: (alias: string) => (scope.kind === 'outlines' ? 'true' : scopeFilter(scope, `${alias}.geom`, 'area').sql),
			building: building.sql,
			target: target.sql
		},
		bindings: { ...target.bindings, ...building.bindings }
	};
}

type Row = {
	kind: SearchKind;
	code: string;
	name: string;
	subtitle: string | null;
	extra: PersonAssignment[] | null;
	west: number;
	south: number;
	east: number;
	north: number;
};

/**
 * Below this many characters a query matches names and codes that start with it, not ones
 * that merely contain it: the trigram indexes need three characters to narrow an infix
 * match, and a one- or two-character infix match over a city's people and buildings is a
 * scan of millions of rows (1.4 s) that finds mostly noise. Two-character Chinese names and
 * a surname with its first given character are still found.
 */
export const INFIX_MIN_CHARS = 3;

export async function search(knex: Knex, { q, limit }: SearchQuery, scope: Scope = { kind: 'all' }): Promise<SearchResult[]> {
	const prefix = likePattern(q).slice(1); // 'text%': starts with the text
	const visible = visibility(scope);
	const { rows } = await knex.raw<{ rows: Row[] }>(searchSql(visible.sql), {
		pattern: [...q].length < INFIX_MIN_CHARS ? prefix : likePattern(q),
		prefix,
		q,
		limit,
		...visible.bindings
	});
	return rows.map((r) => {
		const bbox: SearchResult['bbox'] = [Number(r.west), Number(r.south), Number(r.east), Number(r.north)];
		if (r.kind !== 'person') return { kind: r.kind, code: r.code, name: r.name, subtitle: r.subtitle, bbox };
		const assignments = r.extra ?? [];
		return { kind: r.kind, code: r.code, name: r.name, subtitle: personSubtitle(assignments), bbox, assignments };
	});
}

/** "网格员 · 马街社区第1网格；楼栋长 · …": roles in Chinese, the UI's first language. */
function personSubtitle(assignments: PersonAssignment[]): string {
	return assignments.map((a) => `${label('zh', 'role', a.role)} · ${a.name}`).join('；');
}
