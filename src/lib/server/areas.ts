/**
 * Areas — streets, communities, grids, compounds, buildings — as the planner sees them:
 * the parent chain, households, issue counts by status, category, matter type and overdue,
 * the issues inside (point in polygon, boundary included), and the people responsible.
 * A summary and an issue page are one statement each, the answer built as JSON by PostgreSQL
 * (one round trip; the HTTP server passes the text on); tables come from the LEVEL_TABLE
 * allow-list.
 */
import type { Knex } from 'knex';
import { AREA_LEVELS, type AreaLevel, type IssueCategory, type IssueStatus } from '../domain/glossary.js';
import { overdueSql } from '../domain/issues.js';
import { LEVEL_TABLE } from './tables.js';
import { scopeFilter, type Scope } from './territory.js';
import { run } from './prepared.js';
import { held } from './held.js';

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

/** Which buildings belong to an area of each level: through the derived grid and compound. */
const BUILDINGS_OF: Record<AreaLevel, string> = {
	street: `SELECT b.* FROM buildings b JOIN grids g ON g.id = b.grid_id JOIN communities c ON c.id = g.community_id WHERE c.street_id = :id`,
	community: `SELECT b.* FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE g.community_id = :id`,
	grid: `SELECT b.* FROM buildings b WHERE b.grid_id = :id`,
	compound: `SELECT b.* FROM buildings b WHERE b.compound_id = :id`,
	building: `SELECT b.* FROM buildings b WHERE b.id = :id`
};

/** The chain above an area, top first: (o, level, code, name) rows ordered by o. */
const PARENTS_OF: Record<AreaLevel, string> = {
	street: `SELECT 0 AS o, NULL::text AS level, NULL::text AS code, NULL::text AS name WHERE false`,
	community: `SELECT 1 AS o, 'street' AS level, s.code, s.name FROM communities c JOIN streets s ON s.id = c.street_id WHERE c.id = :id`,
	grid: `SELECT 1 AS o, 'street' AS level, s.code, s.name FROM grids g JOIN communities c ON c.id = g.community_id JOIN streets s ON s.id = c.street_id WHERE g.id = :id
		UNION ALL SELECT 2, 'community', c.code, c.name FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.id = :id
		ORDER BY o`,
	compound: `SELECT 1 AS o, 'street' AS level, s.code, s.name FROM compounds k JOIN communities c ON c.id = k.community_id JOIN streets s ON s.id = c.street_id WHERE k.id = :id
		UNION ALL SELECT 2, 'community', c.code, c.name FROM compounds k JOIN communities c ON c.id = k.community_id WHERE k.id = :id
		ORDER BY o`,
	building: `SELECT 1 AS o, 'street' AS level, s.code, s.name FROM buildings b JOIN grids g ON g.id = b.grid_id JOIN communities c ON c.id = g.community_id JOIN streets s ON s.id = c.street_id WHERE b.id = :id
		UNION ALL SELECT 2, 'community', c.code, c.name FROM buildings b JOIN grids g ON g.id = b.grid_id JOIN communities c ON c.id = g.community_id WHERE b.id = :id
		UNION ALL SELECT 3, 'grid', g.code, g.name FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE b.id = :id
		UNION ALL SELECT 4, 'compound', k.code, k.name FROM buildings b JOIN compounds k ON k.id = b.compound_id WHERE b.id = :id
		ORDER BY o`
};

/** Current assignments: valid today. */
const CURRENT = held('a');

/**
 * Which areas of a level the scope may see, as a predicate on `t`: outlines are public,
 * except buildings, which are data; a territory sees the areas that reach into it (its own
 * community, grid, buildings, and the areas above).
 */
function visibility(level: AreaLevel, scope: Scope) {
	if (scope.kind === 'outlines') return { sql: level === 'building' ? 'false' : 'true', bindings: {} };
	return level === 'building' ? scopeFilter(scope, 't.anchor', 'point') : scopeFilter(scope, 't.geom', 'area');
}

/** The area row by code, when visible; the first CTE of the statements below. */
function areaCte(level: AreaLevel, scope: Scope) {
	const visible = visibility(level, scope);
	const name = level === 'building' ? 'coalesce(t.address, t.name, t.code)' : 't.name';
	return {
		sql: `area AS (
			SELECT t.id, t.code, ${name} AS name, ST_XMin(t.geom) AS w, ST_YMin(t.geom) AS s, ST_XMax(t.geom) AS e, ST_YMax(t.geom) AS n
			FROM :table: t WHERE t.code = :code AND ${visible.sql})`,
		bindings: visible.bindings
	};
}

/** `n` of each (status, category, matter type, overdue) of the issues inside the area. */
const tally = (key: string) =>
	`coalesce((SELECT json_object_agg(k, v) FROM (SELECT ${key} AS k, sum(n) AS v FROM grouped GROUP BY ${key}) x), '{}'::json)`;

/**
 * The summary statement of a level: one round trip, the answer built as JSON by PostgreSQL
 * (as text when the server only passes it on). Counts and households cover what the
 * caller's scope may read; a caller who sees only outlines gets none of them.
 */
function summarySql(level: AreaLevel, scope: Scope, as: 'json' | 'text') {
	const area = areaCte(level, scope);
	const readsData = scope.kind !== 'outlines';
	const inScopePoint = scopeFilter(scope, 'i.geom', 'point');
	const inScopeBuilding = scopeFilter(scope, 'b.anchor', 'point');
	const own = (sql: string) => sql.replaceAll(':id', 'area.id');
	const people = `(SELECT coalesce(json_agg(json_strip_nulls(json_build_object('role', x.role, 'code', x.code, 'name', x.name, 'via', x.via))
			ORDER BY x.k, x.role, x.code), '[]'::json) FROM (
		SELECT 0 AS k, a.role, p.code, p.name, NULL::text AS via FROM assignments a JOIN people p ON p.id = a.person_id
		WHERE a.:column: = area.id AND ${CURRENT}
		${
			// A building's grid worker answers for it too: derived from its grid, never copied.
			level === 'building'
				? `UNION ALL SELECT 1, a.role, p.code, p.name, 'grid' FROM buildings b
				   JOIN assignments a ON a.grid_id = b.grid_id JOIN people p ON p.id = a.person_id
				   WHERE b.id = area.id AND ${CURRENT}`
				: ''
		}) x)`;
	const departments = `(SELECT coalesce(json_agg(json_build_object('code', d.code, 'name', d.name, 'is_lead', l.is_lead) ORDER BY l.is_lead DESC, d.code), '[]'::json)
		FROM community_liaisons l JOIN departments d ON d.id = l.department_id WHERE l.community_id = area.id)`;
	const sql = `WITH ${area.sql},
	grouped AS (
		SELECT i.status, i.category, i.matter_type, ${overdueSql('i')} AS overdue, count(*)::int AS n
		FROM :table: a JOIN issues i ON ST_Covers(a.geom, i.geom)
		WHERE a.id = (SELECT id FROM area) AND ${readsData ? inScopePoint.sql : 'false'}
		GROUP BY 1, 2, 3, 4
	)
	SELECT json_build_object(
		'level', CAST(:level AS text),
		'code', area.code,
		'name', area.name,
		'parents', (SELECT coalesce(json_agg(json_build_object('level', p.level, 'code', p.code, 'name', p.name) ORDER BY p.o), '[]'::json)
			FROM (${own(PARENTS_OF[level])}) p),
		'bbox', json_build_array(area.w, area.s, area.e, area.n),
		'households', ${readsData ? 'stock.households' : 'NULL'},
		'buildings', ${readsData ? 'stock.buildings' : 'NULL'},
		'partial', ${scope.kind === 'territory'},
		'counts', ${
			readsData
				? `(SELECT json_build_object('total', coalesce(sum(n), 0), 'overdue', coalesce(sum(n) FILTER (WHERE overdue), 0),
					'by_status', ${tally('status')}, 'by_category', ${tally('category')}, 'by_matter_type', ${tally('matter_type')})
					FROM grouped)`
				: 'NULL'
		},
		'people', ${readsData ? people : "'[]'::json"}${level === 'community' ? `,
		'departments', ${departments}` : ''}
	)${as === 'text' ? '::text' : ''} AS answer
	FROM area
	${
		readsData
			? `CROSS JOIN LATERAL (SELECT count(*)::int AS buildings, coalesce(sum(households), 0)::int AS households
				FROM (${own(BUILDINGS_OF[level])}) b WHERE ${inScopeBuilding.sql}) stock`
			: ''
	}`;
	return { sql, bindings: { ...area.bindings, ...inScopePoint.bindings, ...inScopeBuilding.bindings, table: LEVEL_TABLE[level], level, column: `${level}_id` } };
}

/**
 * The summary of one area, or null when no area of that level has the code or the caller
 * may not see it. Counts and households cover what the caller's scope may read.
 */
export async function summary(knex: Knex, level: AreaLevel, code: string, scope: Scope = { kind: 'all' }): Promise<AreaSummary | null> {
	const { sql, bindings } = summarySql(level, scope, 'json');
	const rows = await run<{ answer: AreaSummary }>(knex, sql, { ...bindings, code });
	return rows[0]?.answer ?? null;
}

/** The same summary as JSON text, for the HTTP answer; null as for summary(). */
export async function summaryText(knex: Knex, level: AreaLevel, code: string, scope: Scope = { kind: 'all' }): Promise<string | null> {
	const { sql, bindings } = summarySql(level, scope, 'text');
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
 * answer built as JSON by PostgreSQL. The area's issues are selected first (a materialised
 * CTE), then sorted: otherwise the planner walks the reported_at index of the whole county
 * and tests each issue against the polygon.
 */
function issuesSql(level: AreaLevel, scope: Scope, as: 'json' | 'text') {
	const area = areaCte(level, scope);
	const inScope = scopeFilter(scope, 'i.geom', 'point');
	const sql = `WITH ${area.sql},
	inside AS MATERIALIZED (
		SELECT i.code, i.title, i.status, i.category, i.matter_type, i.urgency, i.reported_at, i.due_at, ${overdueSql('i')} AS overdue, i.geom
		FROM :table: a JOIN issues i ON ST_Covers(a.geom, i.geom)
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
	)${as === 'text' ? '::text' : ''} AS answer
	FROM area`;
	return { sql, bindings: { ...area.bindings, ...inScope.bindings, table: LEVEL_TABLE[level] } };
}

function pageBindings(code: string, filter: IssueFilter) {
	return {
		code,
		status: filter.status ?? null,
		category: filter.category ?? null,
		page: filter.page,
		limit: filter.limit,
		offset: (filter.page - 1) * filter.limit
	};
}

/** The issues inside an area the scope may read, newest first; null when the area is not there for the caller. */
export async function issues(knex: Knex, level: AreaLevel, code: string, filter: IssueFilter, scope: Scope = { kind: 'all' }): Promise<IssuePage | null> {
	const { sql, bindings } = issuesSql(level, scope, 'json');
	const rows = await run<{ answer: IssuePage }>(knex, sql, { ...bindings, ...pageBindings(code, filter) });
	return rows[0]?.answer ?? null;
}

/** The same page as JSON text, for the HTTP answer; null as for issues(). */
export async function issuesText(knex: Knex, level: AreaLevel, code: string, filter: IssueFilter, scope: Scope = { kind: 'all' }): Promise<string | null> {
	const { sql, bindings } = issuesSql(level, scope, 'text');
	const rows = await run<{ answer: string }>(knex, sql, { ...bindings, ...pageBindings(code, filter) });
	return rows[0]?.answer ?? null;
}

/** Most specific first: what a click without a level selects. */
const SPECIFIC_FIRST: AreaLevel[] = ['building', 'compound', 'grid', 'community', 'street'];

/** The area of `level` (or the most specific one) covering a point; null when none does. */
export async function at(knex: Knex, lng: number, lat: number, level?: AreaLevel, scope: Scope = { kind: 'all' }): Promise<AreaSummary | null> {
	for (const candidate of level ? [level] : SPECIFIC_FIRST) {
		const rows = await run<{ code: string }>(
			knex,
			`SELECT code FROM :table: WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)) ORDER BY code LIMIT 1`,
			{ table: LEVEL_TABLE[candidate], lng, lat }
		);
		if (!rows.length) continue;
		const area = await summary(knex, candidate, rows[0].code, scope);
		// Without a level, a building the caller may not see gives way to the area around it.
		if (area || level) return area;
	}
	return null;
}
