/**
 * Areas — streets, communities, grids, compounds, buildings — as the planner sees them:
 * the parent chain, households, issue counts by status, category, matter type and overdue,
 * the issues inside (point in polygon, boundary included), and the people responsible.
 * A summary and an issue page are one statement each, the answer built as JSON by PostgreSQL
 * (one round trip; the HTTP server passes the text on); tables come from the LEVEL_TABLE
 * allow-list.
 */
import type { Knex } from 'knex';
import { AREA_LEVELS, type AreaLevel, type IssueCategory, type IssueStatus } from '../../domain/glossary.js';
import { overdueSql } from '../../domain/issues.js';
import { COVERING, LEVEL_TABLE } from '../platform/tables.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { run, statementFor } from '../platform/prepared.js';
import { peopleJsonSql, type PeopleSource } from '../ownership/people.js';
import type { JsonText } from '../platform/json-text.js';

export { AREA_LEVELS };
export function isAreaLevel(level: string): level is AreaLevel {
	return (AREA_LEVELS as readonly string[]).includes(level);
}

export interface AreaRef {
	level: AreaLevel;
	code: string;
	name: string;
}

export interface AreaSummary extends AreaRef {
	parents: AreaRef[];
	bbox: [number, number, number, number];
	/** null when the caller may only see outlines (not signed in) */
	households: number | null;
	buildings: number | null;
	/** true when households, buildings and counts cover only the caller's territory */
	partial: boolean;
	counts: null | {
		total: number;
		overdue: number;
		by_status: Record<string, number>;
		by_category: Record<string, number>;
		by_matter_type: Record<string, number>;
	};
	people: { role: string; code: string; name: string; via?: AreaLevel }[];
	departments?: { code: string; name: string; is_lead: boolean }[];
}

/** Which buildings belong to an area of each level, `id` an SQL expression: through the derived grid and compound. */
function buildingsOf(level: AreaLevel, id: string): string {
	switch (level) {
		case 'street':
			return `SELECT b.* FROM buildings b JOIN grids g ON g.id = b.grid_id JOIN communities c ON c.id = g.community_id WHERE c.street_id = ${id}`;
		case 'community':
			return `SELECT b.* FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE g.community_id = ${id}`;
		case 'grid':
			return `SELECT b.* FROM buildings b WHERE b.grid_id = ${id}`;
		case 'compound':
			return `SELECT b.* FROM buildings b WHERE b.compound_id = ${id}`;
		case 'building':
			return `SELECT b.* FROM buildings b WHERE b.id = ${id}`;
	}
}

/** The chain above an area, top first: (o, level, code, name) rows ordered by o; `id` an SQL expression. */
function parentsOf(level: AreaLevel, id: string): string {
	switch (level) {
		case 'street':
			return `SELECT 0 AS o, NULL::text AS level, NULL::text AS code, NULL::text AS name WHERE false`;
		case 'community':
			return `SELECT 1 AS o, 'street' AS level, s.code, s.name FROM communities c JOIN streets s ON s.id = c.street_id WHERE c.id = ${id}`;
		case 'grid':
			return `SELECT 1 AS o, 'street' AS level, s.code, s.name FROM grids g JOIN communities c ON c.id = g.community_id JOIN streets s ON s.id = c.street_id WHERE g.id = ${id}
		UNION ALL SELECT 2, 'community', c.code, c.name FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.id = ${id}`;
		case 'compound':
			return `SELECT 1 AS o, 'street' AS level, s.code, s.name FROM compounds k JOIN communities c ON c.id = k.community_id JOIN streets s ON s.id = c.street_id WHERE k.id = ${id}
		UNION ALL SELECT 2, 'community', c.code, c.name FROM compounds k JOIN communities c ON c.id = k.community_id WHERE k.id = ${id}`;
		case 'building':
			return `SELECT 1 AS o, 'street' AS level, s.code, s.name FROM buildings b JOIN grids g ON g.id = b.grid_id JOIN communities c ON c.id = g.community_id JOIN streets s ON s.id = c.street_id WHERE b.id = ${id}
		UNION ALL SELECT 2, 'community', c.code, c.name FROM buildings b JOIN grids g ON g.id = b.grid_id JOIN communities c ON c.id = g.community_id WHERE b.id = ${id}
		UNION ALL SELECT 3, 'grid', g.code, g.name FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE b.id = ${id}
		UNION ALL SELECT 4, 'compound', k.code, k.name FROM buildings b JOIN compounds k ON k.id = b.compound_id WHERE b.id = ${id}`;
	}
}

/** An area's people: those assigned to it, and for a building the grid worker of its grid too (derived from its grid, never copied). */
function peopleOf(level: AreaLevel): string {
	const own = { column: `${level}_id` as PeopleSource['column'], id: 'area.id' };
	if (level !== 'building') return peopleJsonSql([own]);
	return peopleJsonSql([own, { column: 'grid_id', id: '(SELECT b.grid_id FROM buildings b WHERE b.id = area.id)', via: 'grid' }]);
}

/**
 * Which areas of a level the scope may see, as a predicate on `t`: outlines are public,
 * except buildings, which are data; a territory sees the areas that reach into it (its own
 * community, grid, buildings, and the areas above), not those that only touch it.
 */
/** Whether the caller may see an area of `level` under alias `t` at all (outside its territory it does not exist for them). */
export function visibility(level: AreaLevel, scope: Scope) {
	if (scope.kind === 'outlines') return { sql: level === 'building' ? 'false' : 'true', bindings: {} };
	return level === 'building' ? scopeFilter(scope, 't.anchor', 'point') : scopeFilter(scope, 't.geom', 'area');
}

/**
 * The area row by code, the first CTE of the statements below, with `in_scope`: whether the
 * caller may read its data. An area's outline (code, name, parents, extent) is public, as the
 * outline tiles are, so `outline` keeps an area outside the caller's territory for everyone
 * alike (issue 20, point 9: one rule for anonymous callers and restricted roles); buildings
 * are data, and an area's issues are too (`outline` false): outside the scope they are not there.
 */
function areaCte(level: AreaLevel, scope: Scope, outline: boolean) {
	const visible = visibility(level, scope);
	const name = level === 'building' ? 'coalesce(t.address, t.name, t.code)' : 't.name';
	const keepOutside = outline && level !== 'building';
	const inScope = scope.kind === 'outlines' ? 'false' : visible.sql;
	return {
		sql: `area AS (
			SELECT t.id, t.code, ${name} AS name, ST_XMin(t.geom) AS w, ST_YMin(t.geom) AS s, ST_XMax(t.geom) AS e, ST_YMax(t.geom) AS n,
				${keepOutside ? inScope : 'true'} AS in_scope
			FROM ${LEVEL_TABLE[level]} t WHERE t.code = :code AND ${keepOutside ? 'true' : visible.sql})`,
		bindings: visible.bindings
	};
}

/** `n` of each (status, category, matter type, overdue) of the issues inside the area. */
const tally = (key: string) =>
	`coalesce((SELECT json_object_agg(k, v) FROM (SELECT ${key} AS k, sum(n) AS v FROM grouped GROUP BY ${key}) x), '{}'::json)`;

/**
 * The summary statement of a level: one round trip, the answer built as JSON text by
 * PostgreSQL. Counts and households cover what the caller's scope may read; a caller who
 * sees only outlines gets none of them.
 */
export function summarySql(level: AreaLevel, scope: Scope) {
	const area = areaCte(level, scope, true);
	const readsData = scope.kind !== 'outlines';
	const inScopePoint = scopeFilter(scope, 'i.geom', 'point');
	const inScopeBuilding = scopeFilter(scope, 'b.anchor', 'point');
	const departments = `(SELECT coalesce(json_agg(json_build_object('code', d.code, 'name', d.name, 'is_lead', l.is_lead) ORDER BY l.is_lead DESC, d.code), '[]'::json)
		FROM community_liaisons l JOIN departments d ON d.id = l.department_id WHERE l.community_id = area.id)`;
	const sql = `WITH ${area.sql},
	grouped AS (
		SELECT i.status, i.category, i.matter_type, ${overdueSql('i')} AS overdue, count(*)::int AS n
		FROM ${LEVEL_TABLE[level]} a JOIN issues i ON ST_Covers(a.geom, i.geom)
		WHERE a.id = (SELECT id FROM area) AND (SELECT in_scope FROM area) AND ${readsData ? inScopePoint.sql : 'false'}
		GROUP BY 1, 2, 3, 4
	)
	SELECT json_build_object(
		'level', CAST(:level AS text),
		'code', area.code,
		'name', area.name,
		'parents', (SELECT coalesce(json_agg(json_build_object('level', p.level, 'code', p.code, 'name', p.name) ORDER BY p.o), '[]'::json)
			FROM (${parentsOf(level, 'area.id')}) p),
		'bbox', json_build_array(area.w, area.s, area.e, area.n),
		'households', ${readsData ? 'CASE WHEN area.in_scope THEN stock.households END' : 'NULL'},
		'buildings', ${readsData ? 'CASE WHEN area.in_scope THEN stock.buildings END' : 'NULL'},
		'partial', (${scope.kind === 'territory'} AND area.in_scope),
		'counts', ${
			readsData
				? `CASE WHEN area.in_scope THEN (SELECT json_build_object('total', coalesce(sum(n), 0), 'overdue', coalesce(sum(n) FILTER (WHERE overdue), 0),
					'by_status', ${tally('status')}, 'by_category', ${tally('category')}, 'by_matter_type', ${tally('matter_type')})
					FROM grouped) END`
				: 'NULL'
		},
		'people', ${readsData ? `CASE WHEN area.in_scope THEN ${peopleOf(level)} ELSE '[]'::json END` : "'[]'::json"}${level === 'community' ? `,
		'departments', ${readsData ? `CASE WHEN area.in_scope THEN ${departments} ELSE '[]'::json END` : "'[]'::json"}` : ''}
	)::text AS answer
	FROM area
	${
		readsData
			? `CROSS JOIN LATERAL (SELECT count(*)::int AS buildings, coalesce(sum(households), 0)::int AS households
				FROM (${buildingsOf(level, 'area.id')}) b WHERE area.in_scope AND ${inScopeBuilding.sql}) stock`
			: ''
	}`;
	return { sql, bindings: { ...area.bindings, ...inScopePoint.bindings, ...inScopeBuilding.bindings, level } };
}

/** Whether an area of `level` has this code and the caller may read its data (not only its outline). */
export async function readsArea(knex: Knex, level: AreaLevel, code: string, scope: Scope): Promise<boolean> {
	const visible = visibility(level, scope);
	const { rows } = await knex.raw(`SELECT 1 FROM ${LEVEL_TABLE[level]} t WHERE t.code = :code AND ${scope.kind === 'outlines' ? 'false' : visible.sql}`, { ...visible.bindings, code });
	return rows.length > 0;
}

/**
 * The summary of one area as JSON text (an AreaSummary), or null when no area of that level
 * has the code or the caller may not see it.
 */
export async function summary(knex: Knex, level: AreaLevel, code: string, scope: Scope = { kind: 'all' }): Promise<JsonText<AreaSummary> | null> {
	const { sql, bindings } = statementFor(`summary:${level}`, scope, () => summarySql(level, scope));
	const rows = await run<{ answer: string }>(knex, sql, { ...bindings, code });
	return rows[0]?.answer ?? null;
}

export interface IssueFilter {
	status?: IssueStatus;
	category?: IssueCategory;
	page: number;
	limit: number;
}

export interface IssuePage {
	total: number;
	page: number;
	limit: number;
	items: {
		code: string;
		title: string;
		status: string;
		category: string;
		matter_type: string;
		urgency: string;
		reported_at: string;
		due_at: string | null;
		overdue: boolean;
		lng: number;
		lat: number;
	}[];
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One page of the issues inside an area, newest first, with the total: one statement, the
 * answer built as JSON text by PostgreSQL. The area's issues are selected first (a
 * materialised CTE), then sorted: otherwise the planner walks the reported_at index of the
 * whole county and tests each issue against the polygon.
 */
export function issuesSql(level: AreaLevel, scope: Scope) {
	const area = areaCte(level, scope, false);
	const inScope = scopeFilter(scope, 'i.geom', 'point');
	const sql = `WITH ${area.sql},
	inside AS MATERIALIZED (
		SELECT i.code, i.title, i.status, i.category, i.matter_type, i.urgency, i.reported_at, i.due_at, ${overdueSql('i')} AS overdue, i.geom
		FROM ${LEVEL_TABLE[level]} a JOIN issues i ON ST_Covers(a.geom, i.geom)
		WHERE a.id = (SELECT id FROM area) AND ${inScope.sql}
		  AND (CAST(:status AS text) IS NULL OR i.status = :status)
		  AND (CAST(:category AS text) IS NULL OR i.category = :category)
	)
	SELECT json_build_object(
		'total', (SELECT count(*)::int FROM inside),
		'page', CAST(:page AS int),
		'limit', CAST(:limit AS int),
		'items', coalesce((SELECT json_agg(json_build_object(
				'code', x.code, 'title', x.title, 'status', x.status, 'category', x.category, 'matter_type', x.matter_type,
				'urgency', x.urgency, 'reported_at', ${ISO('x.reported_at')}, 'due_at', ${ISO('x.due_at')}, 'overdue', x.overdue,
				'lng', ST_X(x.geom), 'lat', ST_Y(x.geom)
			) ORDER BY x.reported_at DESC, x.code DESC)
			FROM (SELECT * FROM inside ORDER BY reported_at DESC, code DESC LIMIT :limit OFFSET :offset) x), '[]'::json)
	)::text AS answer
	FROM area`;
	return { sql, bindings: { ...area.bindings, ...inScope.bindings } };
}

/** One page of the issues inside an area the scope may read, newest first, as JSON text (an IssuePage); null when the area is not there for the caller. */
export async function issues(knex: Knex, level: AreaLevel, code: string, filter: IssueFilter, scope: Scope = { kind: 'all' }): Promise<JsonText<IssuePage> | null> {
	const { sql, bindings } = statementFor(`issues:${level}`, scope, () => issuesSql(level, scope));
	const rows = await run<{ answer: string }>(knex, sql, {
		...bindings,
		code,
		status: filter.status ?? null,
		category: filter.category ?? null,
		page: filter.page,
		limit: filter.limit,
		offset: (filter.page - 1) * filter.limit
	});
	return rows[0]?.answer ?? null;
}

/** Most specific first: what a click without a level selects. */
const SPECIFIC_FIRST: AreaLevel[] = ['building', 'compound', 'grid', 'community', 'street'];

/** The code of the area of a level covering :lng, :lat (the covering functions of migration 0350). */
export function coveringSql(level: AreaLevel): string {
	return `SELECT c.code FROM ${COVERING[level]}(ST_SetSRID(ST_MakePoint(CAST(:lng AS float8), CAST(:lat AS float8)), 4326)) c`;
}

/** The area of `level` (or the most specific one the caller may see) covering a point, as JSON text; null when none does. */
export async function at(knex: Knex, lng: number, lat: number, level?: AreaLevel, scope: Scope = { kind: 'all' }): Promise<JsonText<AreaSummary> | null> {
	for (const candidate of level ? [level] : SPECIFIC_FIRST) {
		const rows = await run<{ code: string }>(knex, coveringSql(candidate), { lng, lat });
		if (!rows.length) continue;
		const area = await summary(knex, candidate, rows[0].code, scope);
		// Without a level, a building the caller may not see gives way to the area around it.
		if (area || level) return area;
	}
	return null;
}
