/**
 * Areas — streets, communities, grids, compounds, buildings — as the planner sees them:
 * the parent chain, households, issue counts by status, category, matter type and overdue,
 * the issues inside (point in polygon, boundary included), and the people responsible.
 * Each function is one or two readable statements with named bindings; tables come from the
 * LEVEL_TABLE allow-list.
 */
import type { Knex } from 'knex';
import { AREA_LEVELS, type AreaLevel, type IssueCategory, type IssueStatus } from '../domain/sample.js';
import { overdueSql } from '../domain/issues.js';
import { LEVEL_TABLE } from './layers.js';
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
 * The area by code. Outlines are public, except buildings, which are data; a territory sees
 * the areas that reach into it (its own community, grid, buildings, and the areas above).
 */
async function findArea(knex: Knex, level: AreaLevel, code: string, scope: Scope) {
	const table = LEVEL_TABLE[level];
	const nameColumn = level === 'building' ? 'coalesce(t.address, t.name, t.code)' : 't.name';
	const visible =
		scope.kind === 'outlines'
			? { sql: level === 'building' ? 'false' : 'true', bindings: {} }
			: level === 'building'
				? scopeFilter(scope, 't.anchor', 'point')
				: scopeFilter(scope, 't.geom', 'area');
	const rows = await run(
		knex,
		`SELECT t.id, t.code, ${nameColumn} AS name,
			ST_XMin(t.geom) AS w, ST_YMin(t.geom) AS s, ST_XMax(t.geom) AS e, ST_YMax(t.geom) AS n
		 FROM :table: t WHERE t.code = :code AND ${visible.sql}`,
		{ table, code, ...visible.bindings }
	);
	return rows[0] as { id: number; code: string; name: string; w: number; s: number; e: number; n: number } | undefined;
}

/**
 * The summary of one area, or null when no area of that level has the code or the caller
 * may not see it. Counts and households cover what the caller's scope may read.
 */
export async function summary(knex: Knex, level: AreaLevel, code: string, scope: Scope = { kind: 'all' }): Promise<AreaSummary | null> {
	const area = await findArea(knex, level, code, scope);
	if (!area) return null;
	const table = LEVEL_TABLE[level];
	const id = area.id;
	const readsData = scope.kind !== 'outlines';
	const inScopePoint = scopeFilter(scope, 'i.geom', 'point');
	const inScopeBuilding = scopeFilter(scope, 'b.anchor', 'point');

	const [parents, stock, counts, people, departments] = await Promise.all([
		run<AreaRef>(knex, PARENTS_OF[level], { id }),
		readsData
			? run<{ buildings: number; households: number }>(
					knex,
					`SELECT count(*)::int AS buildings, coalesce(sum(households), 0)::int AS households
					 FROM (${BUILDINGS_OF[level]}) b WHERE ${inScopeBuilding.sql}`,
					{ id, ...inScopeBuilding.bindings }
				).then((rows) => rows[0])
			: Promise.resolve(null),
		readsData
			? run<{ status: string; category: string; matter_type: string; overdue: boolean; n: number }>(
					knex,
					`SELECT i.status, i.category, i.matter_type, ${overdueSql('i')} AS overdue, count(*)::int AS n
					 FROM :table: a JOIN issues i ON ST_Covers(a.geom, i.geom)
					 WHERE a.id = :id AND ${inScopePoint.sql}
					 GROUP BY 1, 2, 3, 4`,
					{ table, id, ...inScopePoint.bindings }
				)
			: Promise.resolve(null),
		readsData ? responsiblePeople(knex, level, id) : Promise.resolve([]),
		level === 'community'
			? run<{ code: string; name: string; is_lead: boolean }>(
					knex,
					`SELECT d.code, d.name, l.is_lead FROM community_liaisons l JOIN departments d ON d.id = l.department_id
					 WHERE l.community_id = :id ORDER BY l.is_lead DESC, d.code`,
					{ id }
				)
			: Promise.resolve(undefined)
	]);

	const tally = (key: 'status' | 'category' | 'matter_type') => {
		const out: Record<string, number> = {};
		for (const row of counts ?? []) out[row[key]] = (out[row[key]] ?? 0) + row.n;
		return out;
	};
	return {
		level,
		code: area.code,
		name: area.name,
		parents: parents.map((p) => ({ level: p.level, code: p.code, name: p.name })),
		bbox: [area.w, area.s, area.e, area.n].map(Number) as AreaSummary['bbox'],
		households: stock?.households ?? null,
		buildings: stock?.buildings ?? null,
		partial: scope.kind === 'territory',
		counts: counts && {
			total: counts.reduce((sum, r) => sum + r.n, 0),
			overdue: counts.filter((r) => r.overdue).reduce((sum, r) => sum + r.n, 0),
			by_status: tally('status'),
			by_category: tally('category'),
			by_matter_type: tally('matter_type')
		},
		people,
		...(departments ? { departments } : {})
	};
}

/**
 * The people who answer for an area today: those assigned to it, and for a building also
 * the grid worker of its grid — derived from the building's grid, never copied.
 */
async function responsiblePeople(knex: Knex, level: AreaLevel, id: number) {
	const direct = run(
		knex,
		`SELECT a.role, p.code, p.name FROM assignments a JOIN people p ON p.id = a.person_id
		 WHERE a.:column: = :id AND ${CURRENT}
		 ORDER BY a.role, p.code`,
		{ column: `${level}_id`, id }
	);
	const viaGrid =
		level === 'building'
			? run(
					knex,
					`SELECT a.role, p.code, p.name, 'grid' AS via FROM buildings b
					 JOIN assignments a ON a.grid_id = b.grid_id JOIN people p ON p.id = a.person_id
					 WHERE b.id = :id AND ${CURRENT}
					 ORDER BY a.role, p.code`,
					{ id }
				)
			: null;
	const [a, b] = await Promise.all([direct, viaGrid]);
	return [...a, ...(b ?? [])] as { role: string; code: string; name: string; via?: AreaLevel }[];
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

/** The issues inside an area the scope may read, newest first; null when the area is not there for the caller. */
export async function issues(knex: Knex, level: AreaLevel, code: string, filter: IssueFilter, scope: Scope = { kind: 'all' }): Promise<IssuePage | null> {
	const table = LEVEL_TABLE[level];
	if (!(await findArea(knex, level, code, scope))) return null;
	const inScope = scopeFilter(scope, 'i.geom', 'point');
	const bindings = {
		...inScope.bindings,
		table,
		code,
		status: filter.status ?? null,
		category: filter.category ?? null,
		limit: filter.limit,
		offset: (filter.page - 1) * filter.limit
	};
	const inside = `FROM :table: a JOIN issues i ON ST_Covers(a.geom, i.geom)
		WHERE a.code = :code AND ${inScope.sql}
		  AND (CAST(:status AS text) IS NULL OR i.status = :status)
		  AND (CAST(:category AS text) IS NULL OR i.category = :category)`;
	const [total, items] = await Promise.all([
		run<{ n: number }>(knex, `SELECT count(*)::int AS n ${inside}`, bindings),
		run<IssuePage['items'][number] & { reported_at: Date | string; due_at: Date | string | null }>(
			knex,
			// The area's issues first, then the newest: otherwise the planner walks the
			// reported_at index of the whole county and tests each issue against the polygon.
			`WITH inside AS MATERIALIZED (SELECT i.* ${inside})
			 SELECT i.code, i.title, i.status, i.category, i.matter_type, i.urgency, i.reported_at, i.due_at,
				${overdueSql('i')} AS overdue, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat
			 FROM inside i
			 ORDER BY i.reported_at DESC, i.code DESC
			 LIMIT :limit OFFSET :offset`,
			bindings
		)
	]);
	return {
		total: total[0].n,
		page: filter.page,
		limit: filter.limit,
		items: items.map((r) => ({
			...r,
			reported_at: new Date(r.reported_at).toISOString(),
			due_at: r.due_at === null ? null : new Date(r.due_at).toISOString(),
			lng: Number(r.lng),
			lat: Number(r.lat)
		}))
	};
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
