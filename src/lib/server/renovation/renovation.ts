/**
 * 老旧小区改造 — the housing bureau's renovation ledger (issue 11). A project is one or more
 * polygons with a lifecycle (规划 → 立项 → 施工 → 完工 → 验收, one step forward at a time, a date
 * per stage), money by source and kind, a contractor, progress, the demonstration flag and the
 * 改+治 add-ons. What it covers is computed from geometry, never typed:
 *
 * - a compound is covered when the project area covers the compound's point on surface
 *   (ST_PointOnSurface: one point always inside the compound, so a compound is covered by a
 *   project or not — a fence a metre over the line does not count it twice);
 * - a building when the area covers its stored anchor (buildings.anchor, the same point the
 *   building's grid and compound come from);
 * - households are the sum of the covered buildings' households.
 *
 * A project lies in the community covering its own point on surface (and that community's
 * street); its year is the year of its start date. Money: renovation_funds holds amounts by
 * source × kind; whenever a project has rows of a kind, its total of that kind on
 * renovation_projects is their sum (written in the same transaction). A project imported with
 * totals only keeps them; the difference shows as 未分来源 (unattributed).
 *
 * Every change is one transaction with its history rows (who, when, field → [before, after]).
 * Writes are for admin and housing; reads follow the caller's territory (areas intersecting).
 */
import { chinaDay } from '../../domain/work-calendar.js';
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { processPhoto } from '../cases/photo-processing.js';
import { openSql } from '../../domain/issues.js';
import { RENOVATION_STATUSES, type RenovationStatus } from '../../domain/glossary.js';

export const FUND_SOURCES = ['central', 'provincial', 'county', 'residents', 'social_capital'] as const;
export type FundSource = (typeof FUND_SOURCES)[number];
export const FUND_KINDS = ['planned', 'secured', 'spent'] as const;
export type FundKind = (typeof FUND_KINDS)[number];

/** The one step the lifecycle allows from each status. */
export const NEXT_STATUS: Record<RenovationStatus, RenovationStatus | null> = {
	planned: 'approved',
	approved: 'under_construction',
	under_construction: 'completed',
	completed: 'accepted',
	accepted: null
};

/** The column holding the day a project reached each stage. */
const STAGE_COLUMN: Record<RenovationStatus, string> = {
	planned: 'planned_on',
	approved: 'approved_on',
	under_construction: 'construction_on',
	completed: 'completed_on',
	accepted: 'accepted_on'
};

/** The total column of each kind of money. */
const TOTAL_COLUMN: Record<FundKind, 'budget_yuan' | 'funds_secured_yuan' | 'spent_yuan'> = {
	planned: 'budget_yuan',
	secured: 'funds_secured_yuan',
	spent: 'spent_yuan'
};

// ---------------------------------------------------------------- filters and the ledger

export interface LedgerFilter {
	statuses?: RenovationStatus[];
	batch?: number;
	year?: number;
	street?: string;
	community?: string;
	demonstration?: boolean;
}

export interface LedgerRow {
	code: string;
	name: string;
	status: RenovationStatus;
	batch: number | null;
	contractor: string | null;
	start_date: string | null;
	end_date: string | null;
	progress_pct: number;
	is_demonstration: boolean;
	party_branch_set_up: boolean;
	red_property: boolean;
	budget_yuan: number;
	funds_secured_yuan: number;
	spent_yuan: number;
	street_code: string | null;
	street_name: string | null;
	community_code: string | null;
	community_name: string | null;
	compounds: number;
	buildings: number;
	households: number;
	/** [west, south, east, north] of the area, for the map to fit */
	bbox: [number, number, number, number];
}

export interface LedgerTotals {
	projects: number;
	compounds: number;
	buildings: number;
	households: number;
	budget_yuan: number;
	funds_secured_yuan: number;
	spent_yuan: number;
}

/**
 * The projects the caller may read that pass the filter, each with its community and street
 * (those covering the project's point on surface) and what it covers. Shared by the ledger,
 * its totals and both exports, so they can never disagree.
 */
function filteredSql(inTerritory: string): string {
	return `filtered AS (
	SELECT p.*, c.code AS community_code, c.name AS community_name, s.code AS street_code, s.name AS street_name
	FROM renovation_projects p
	LEFT JOIN LATERAL (
		SELECT c.code, c.name, c.street_id FROM communities c WHERE ST_Covers(c.geom, ST_PointOnSurface(p.geom)) ORDER BY c.code LIMIT 1
	) c ON true
	LEFT JOIN streets s ON s.id = c.street_id
	WHERE ${inTerritory}
		AND (CAST(:statuses AS text) IS NULL OR p.status = ANY (string_to_array(CAST(:statuses AS text), ',')))
		AND (CAST(:batch AS integer) IS NULL OR p.batch = CAST(:batch AS integer))
		AND (CAST(:year AS integer) IS NULL OR extract(year FROM p.start_date) = CAST(:year AS integer))
		AND (CAST(:street AS text) IS NULL OR s.code = CAST(:street AS text))
		AND (CAST(:community AS text) IS NULL OR c.code = CAST(:community AS text))
		AND (CAST(:demonstration AS boolean) IS NULL OR p.is_demonstration = CAST(:demonstration AS boolean))
), rows AS (
	SELECT f.*, kc.compounds, bc.buildings, bc.households
	FROM filtered f
	CROSS JOIN LATERAL (${COVERED_COMPOUNDS('f.geom')}) kc
	CROSS JOIN LATERAL (${COVERED_BUILDINGS('f.geom')}) bc
)`;
}

/** The count of compounds an area covers: by each compound's point on surface. */
const COVERED_COMPOUNDS = (area: string) => `SELECT count(*)::int AS compounds FROM compounds k WHERE ST_Covers(${area}, ST_PointOnSurface(k.geom))`;
/** The buildings an area covers, by their anchor, and their households. */
const COVERED_BUILDINGS = (area: string) =>
	`SELECT count(*)::int AS buildings, COALESCE(sum(b.households), 0)::int AS households FROM buildings b WHERE ST_Covers(${area}, b.anchor)`;

const ROW_FIELDS = `code, name, status, batch, contractor, to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date,
	progress_pct, is_demonstration, party_branch_set_up, red_property, budget_yuan::float8 AS budget_yuan,
	funds_secured_yuan::float8 AS funds_secured_yuan, spent_yuan::float8 AS spent_yuan,
	street_code, street_name, community_code, community_name, compounds, buildings, households,
	json_build_array(ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)) AS bbox`;

function filterBindings(scope: Scope, filter: LedgerFilter) {
	const territory = scopeFilter(scope, 'p.geom', 'area');
	return {
		territory,
		bindings: {
			...territory.bindings,
			statuses: filter.statuses?.join(',') ?? null,
			batch: filter.batch ?? null,
			year: filter.year ?? null,
			street: filter.street ?? null,
			community: filter.community ?? null,
			demonstration: filter.demonstration ?? null
		}
	};
}

/** The ledger's statement for a caller's scope: the filtered rows and their totals, summed over the same rows. */
export function ledgerSql(scope: Scope, filter: LedgerFilter): { sql: string; bindings: Record<string, unknown> } {
	const { territory, bindings } = filterBindings(scope, filter);
	const sql = `WITH ${filteredSql(territory.sql)}
SELECT COALESCE((SELECT json_agg(r ORDER BY r.code) FROM (SELECT ${ROW_FIELDS} FROM rows) r), '[]') AS projects,
	(SELECT json_build_object('projects', count(*), 'compounds', COALESCE(sum(compounds), 0), 'buildings', COALESCE(sum(buildings), 0),
		'households', COALESCE(sum(households), 0), 'budget_yuan', COALESCE(sum(budget_yuan), 0)::float8,
		'funds_secured_yuan', COALESCE(sum(funds_secured_yuan), 0)::float8, 'spent_yuan', COALESCE(sum(spent_yuan), 0)::float8) FROM rows) AS totals`;
	return { sql, bindings };
}

/** The ledger: the filtered projects and their totals, the totals summed by the database over the same rows. */
export async function ledger(knex: Knex, scope: Scope, filter: LedgerFilter): Promise<{ projects: LedgerRow[]; totals: LedgerTotals }> {
	const { sql, bindings } = ledgerSql(scope, filter);
	const { rows } = await knex.raw(sql, bindings);
	return { projects: rows[0].projects, totals: rows[0].totals };
}

/** The filtered projects as GeoJSON features, their properties the ledger's row. */
export async function features(knex: Knex, scope: Scope, filter: LedgerFilter): Promise<{ type: 'FeatureCollection'; features: unknown[] }> {
	const { territory, bindings } = filterBindings(scope, filter);
	const sql = `WITH ${filteredSql(territory.sql)}
SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
	'type', 'Feature', 'id', r.code, 'geometry', ST_AsGeoJSON(r.geom, 7)::json, 'properties', to_jsonb(r) - 'geom') ORDER BY r.code), '[]')) AS fc
FROM (SELECT ${ROW_FIELDS}, geom FROM rows) r`;
	const { rows } = await knex.raw(sql, bindings);
	return rows[0].fc;
}

// ---------------------------------------------------------------- one project

export interface FundRow {
	source: FundSource | 'unattributed';
	planned: number;
	secured: number;
	spent: number;
}

export interface HistoryRow {
	at: string;
	actor: string;
	kind: 'created' | 'status' | 'progress' | 'money' | 'edited';
	changes: Record<string, [unknown, unknown]>;
}

export interface ProjectRecord extends LedgerRow {
	geometry: unknown;
	stages: Record<RenovationStatus, string | null>;
	next_status: RenovationStatus | null;
	funds: FundRow[];
	history: HistoryRow[];
	covered_compounds: { code: string; name: string; is_old: boolean }[];
	/** issues inside the area per month, 12 months before and 12 after completion; null until completed */
	issues_by_month: { month: string; offset: number; count: number }[] | null;
	completed_on: string | null;
	photos: { id: number; phase: PhotoPhase; width: number; height: number }[];
}

/** One project as its page shows it; null when it does not exist or lies outside the caller's territory. */
export async function read(knex: Knex, scope: Scope, code: string): Promise<ProjectRecord | null> {
	const { territory, bindings } = filterBindings(scope, {});
	const sql = `WITH ${filteredSql(`${territory.sql} AND p.code = :code`)}
SELECT ${ROW_FIELDS}, id, ST_AsGeoJSON(geom, 7)::json AS geometry,
	json_build_object(${RENOVATION_STATUSES.map((s) => `'${s}', to_char(${STAGE_COLUMN[s]}, 'YYYY-MM-DD')`).join(', ')}) AS stages,
	to_char(COALESCE(completed_on, CASE WHEN status IN ('completed', 'accepted') THEN end_date END), 'YYYY-MM-DD') AS completed_day
FROM rows`;
	const { rows } = await knex.raw(sql, { ...bindings, code });
	const row = rows[0];
	if (!row) return null;
	const [funds, history, compounds, issues, photos] = await Promise.all([
		knex('renovation_funds').where({ project_id: row.id }).select('source', 'kind', knex.raw('amount_yuan::float8 AS amount')),
		knex.raw(
			`SELECT h.at, COALESCE(p.name, h.actor_name) AS actor, h.kind, h.changes FROM renovation_history h
			 LEFT JOIN users u ON u.id = h.user_id LEFT JOIN people p ON p.id = u.person_id
			 WHERE h.project_id = :id ORDER BY h.at, h.id`,
			{ id: row.id }
		),
		knex.raw(
			`SELECT k.code, k.name, k.is_old FROM compounds k, renovation_projects p
			 WHERE p.id = :id AND ST_Covers(p.geom, ST_PointOnSurface(k.geom)) ORDER BY k.code`,
			{ id: row.id }
		),
		row.completed_day
			? knex.raw(
					// Months in China time; offset 0 is the month of completion, counted as "after".
					`WITH m AS (SELECT o, (date_trunc('month', CAST(:done AS date)) + make_interval(months => o))::date AS month FROM generate_series(-12, 11) o)
					 SELECT to_char(m.month, 'YYYY-MM') AS month, m.o AS offset, count(i.id)::int AS count
					 FROM m LEFT JOIN renovation_projects p ON p.id = :id
					 LEFT JOIN issues i ON ST_Covers(p.geom, i.geom)
						AND (i.reported_at AT TIME ZONE 'Asia/Shanghai') >= m.month
						AND (i.reported_at AT TIME ZONE 'Asia/Shanghai') < m.month + interval '1 month'
					 GROUP BY m.o, m.month ORDER BY m.o`,
					{ id: row.id, done: row.completed_day }
				)
			: null,
		knex('renovation_photos').where({ project_id: row.id }).orderBy('id').select(knex.raw('id::int AS id'), 'phase', 'width', 'height')
	]);
	const bySource = new Map<string, FundRow>();
	for (const f of funds as { source: FundSource; kind: FundKind; amount: number }[]) {
		const r = bySource.get(f.source) ?? { source: f.source, planned: 0, secured: 0, spent: 0 };
		r[f.kind] = f.amount;
		bySource.set(f.source, r);
	}
	const fundRows = FUND_SOURCES.filter((s) => bySource.has(s)).map((s) => bySource.get(s)!);
	const sum = (k: FundKind) => fundRows.reduce((a, r) => a + r[k], 0);
	const rest = { source: 'unattributed' as const, planned: row.budget_yuan - sum('planned'), secured: row.funds_secured_yuan - sum('secured'), spent: row.spent_yuan - sum('spent') };
	if (rest.planned || rest.secured || rest.spent) fundRows.push(rest);
	const { id: _id, completed_day, ...rest2 } = row;
	return {
		...rest2,
		next_status: NEXT_STATUS[row.status as RenovationStatus],
		funds: fundRows,
		history: history.rows.map((h: { at: Date; actor: string; kind: HistoryRow['kind']; changes: HistoryRow['changes'] }) => ({ ...h, at: new Date(h.at).toISOString() })),
		covered_compounds: compounds.rows,
		issues_by_month: issues ? issues.rows : null,
		completed_on: completed_day,
		photos
	};
}

// ---------------------------------------------------------------- planning gaps

export interface Gap {
	code: string;
	name: string;
	community_name: string;
	buildings: number;
	households: number;
	open_issues: number;
	flood_spots: number;
}

/** The planning gaps' statement: old compounds (compounds.is_old) no project covers, by open issues inside, then flood spots inside. */
export function gapsSql(scope: Scope, limit: number): { sql: string; bindings: Record<string, unknown> } {
	const territory = scopeFilter(scope, 'k.geom', 'area');
	const sql = `SELECT k.code, k.name, c.name AS community_name, bc.buildings, bc.households,
	(SELECT count(*)::int FROM issues i WHERE ST_Covers(k.geom, i.geom) AND ${openSql('i')}) AS open_issues,
	(SELECT count(*)::int FROM flood_spots f WHERE ST_Intersects(k.geom, f.geom)) AS flood_spots
FROM compounds k JOIN communities c ON c.id = k.community_id
CROSS JOIN LATERAL (${COVERED_BUILDINGS('k.geom')}) bc
WHERE k.is_old AND ${territory.sql}
	AND NOT EXISTS (SELECT 1 FROM renovation_projects p WHERE ST_Covers(p.geom, ST_PointOnSurface(k.geom)))
ORDER BY open_issues DESC, flood_spots DESC, k.code LIMIT :limit`;
	return { sql, bindings: { ...territory.bindings, limit } };
}

export async function gaps(knex: Knex, scope: Scope, limit = 100): Promise<Gap[]> {
	const { sql, bindings } = gapsSql(scope, limit);
	const { rows } = await knex.raw(sql, bindings);
	return rows;
}

// ---------------------------------------------------------------- writing

export interface ProjectInput {
	code?: string;
	name?: string;
	status?: RenovationStatus;
	/** the day of the status step (defaults to today, China time) */
	status_on?: string;
	batch?: number | null;
	contractor?: string | null;
	start_date?: string | null;
	end_date?: string | null;
	progress_pct?: number;
	is_demonstration?: boolean;
	party_branch_set_up?: boolean;
	red_property?: boolean;
	/** GeoJSON text of a Polygon or MultiPolygon, WGS84 */
	geometry?: string;
	/** amounts by source and kind; a cell given replaces that cell */
	funds?: { source: FundSource; kind: FundKind; amount: number }[];
}


/** Checks a geometry where PostGIS can: valid rings (PostGIS's reason), and every polygon inside the county. */
async function checkArea(trx: Knex, geometry: string): Promise<void> {
	const { rows } = await trx.raw(
		`WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(CAST(:g AS text)), 4326) AS geom)
		 SELECT ST_IsValid(g.geom) AS valid, ST_IsValidReason(g.geom) AS reason,
			(SELECT array_agg(d.path[1] - 1 ORDER BY d.path[1]) FROM ST_Dump(g.geom) d
			 WHERE NOT EXISTS (SELECT 1 FROM county c WHERE ST_CoveredBy(d.geom, c.geom))) AS outside,
			(SELECT count(*) FROM ST_Dump(g.geom)) AS parts
		 FROM g`,
		{ g: geometry }
	);
	const r = rows[0];
	if (!r.valid) fail(400, `geometry is not a valid polygon: ${r.reason}`);
	if (r.outside?.length) {
		const which = Number(r.parts) > 1 ? `polygon ${r.outside.join(', ')} of geometry lies` : 'geometry lies';
		fail(400, `${which} outside Hejiang County: a renovation area must be inside the county`);
	}
}

async function writeHistory(trx: Knex, projectId: number, user: User, kind: HistoryRow['kind'], changes: Record<string, [unknown, unknown]>): Promise<void> {
	await trx('renovation_history').insert({ project_id: projectId, user_id: user.id, actor_name: user.username, kind, changes: JSON.stringify(changes) });
}

/** Writes fund cells and brings the project's totals to their sums; the money changes, as history sees them. */
async function writeFunds(trx: Knex, projectId: number, cells: NonNullable<ProjectInput['funds']>): Promise<Record<string, [unknown, unknown]>> {
	const changes: Record<string, [unknown, unknown]> = {};
	if (!cells.length) return changes;
	const before = (await trx('renovation_projects').where({ id: projectId }).first('budget_yuan', 'funds_secured_yuan', 'spent_yuan')) as Record<string, string>;
	for (const cell of cells) {
		const old = await trx('renovation_funds').where({ project_id: projectId, source: cell.source, kind: cell.kind }).first('amount_yuan');
		const was = old ? Number(old.amount_yuan) : null;
		if (was === cell.amount) continue;
		changes[`funds.${cell.source}.${cell.kind}`] = [was, cell.amount];
		await trx.raw(
			`INSERT INTO renovation_funds (project_id, source, kind, amount_yuan) VALUES (:id, :source, :kind, :amount)
			 ON CONFLICT (project_id, source, kind) DO UPDATE SET amount_yuan = EXCLUDED.amount_yuan`,
			{ id: projectId, ...cell }
		);
	}
	// Totals of every kind that has rows are their sums: one statement, so they cannot drift.
	await trx.raw(
		`UPDATE renovation_projects p SET
			budget_yuan = COALESCE((SELECT sum(amount_yuan) FROM renovation_funds f WHERE f.project_id = p.id AND f.kind = 'planned'), p.budget_yuan),
			funds_secured_yuan = COALESCE((SELECT sum(amount_yuan) FROM renovation_funds f WHERE f.project_id = p.id AND f.kind = 'secured'), p.funds_secured_yuan),
			spent_yuan = COALESCE((SELECT sum(amount_yuan) FROM renovation_funds f WHERE f.project_id = p.id AND f.kind = 'spent'), p.spent_yuan),
			updated_at = now()
		 WHERE p.id = :id`,
		{ id: projectId }
	);
	const after = (await trx('renovation_projects').where({ id: projectId }).first('budget_yuan', 'funds_secured_yuan', 'spent_yuan')) as Record<string, string>;
	for (const kind of FUND_KINDS) {
		const col = TOTAL_COLUMN[kind];
		if (before[col] !== after[col]) changes[col] = [Number(before[col]), Number(after[col])];
	}
	return changes;
}

/** Creates a project (status planned, 规划), its funds and its creation history row, in one transaction. */
export async function create(knex: Knex, user: User, input: ProjectInput): Promise<{ code: string }> {
	if (!input.name) fail(400, 'name is required');
	if (!input.geometry) fail(400, 'geometry is required: a GeoJSON Polygon or MultiPolygon inside the county');
	if (input.status && input.status !== 'planned') fail(409, `a new project starts as planned; it then moves one step at a time (planned → approved → under_construction → completed → accepted)`);
	return knex.transaction(async (trx) => {
		await checkArea(trx, input.geometry!);
		let code = input.code;
		if (code) {
			if (await trx('renovation_projects').where({ code }).first('id')) fail(409, `a renovation project with code '${code}' exists`);
		} else {
			const { rows } = await trx.raw(`SELECT 'R' || lpad((COALESCE(max(substring(code FROM '^R(\\d+)$')::int), 0) + 1)::text, 4, '0') AS code FROM renovation_projects`);
			code = rows[0].code as string;
		}
		const planned = input.status_on ?? chinaDay();
		const [row] = (
			await trx.raw(
				`INSERT INTO renovation_projects (code, name, status, batch, contractor, start_date, end_date, progress_pct,
					is_demonstration, party_branch_set_up, red_property, planned_on, geom)
				 VALUES (:code, :name, 'planned', :batch, :contractor, :start, :end, :progress, :demo, :branch, :red, :planned,
					ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(CAST(:geometry AS text)), 4326)))
				 RETURNING id`,
				{
					code,
					name: input.name,
					batch: input.batch ?? null,
					contractor: input.contractor ?? null,
					start: input.start_date ?? null,
					end: input.end_date ?? null,
					progress: input.progress_pct ?? 0,
					demo: input.is_demonstration ?? false,
					branch: input.party_branch_set_up ?? false,
					red: input.red_property ?? false,
					planned,
					geometry: input.geometry
				}
			)
		).rows;
		await writeFunds(trx, row.id, input.funds ?? []);
		const created: Record<string, [unknown, unknown]> = { status: [null, 'planned'], planned_on: [null, planned], progress_pct: [null, input.progress_pct ?? 0] };
		for (const f of input.funds ?? []) created[`funds.${f.source}.${f.kind}`] = [null, f.amount];
		await writeHistory(trx, row.id, user, 'created', created);
		return { code: code! };
	});
}

const EDITABLE = ['name', 'batch', 'contractor', 'start_date', 'end_date', 'is_demonstration', 'party_branch_set_up', 'red_property'] as const;

/**
 * Edits a project: a status step (one forward, else a 409 naming the next status), progress,
 * money by source, other fields and the area; one transaction, a history row per kind of change.
 */
export async function update(knex: Knex, user: User, code: string, input: ProjectInput): Promise<void> {
	if (input.code !== undefined && input.code !== code) fail(400, 'code cannot be changed');
	await knex.transaction(async (trx) => {
		const project = await trx('renovation_projects')
			.where({ code })
			.forUpdate()
			.first('id', 'status', 'progress_pct', ...EDITABLE, trx.raw(`to_char(start_date, 'YYYY-MM-DD') AS start_date`), trx.raw(`to_char(end_date, 'YYYY-MM-DD') AS end_date`));
		if (!project) fail(404, `no renovation project with code '${code}'`);
		if (input.status !== undefined && input.status !== project.status) {
			const next = NEXT_STATUS[project.status as RenovationStatus];
			if (input.status !== next) {
				fail(409, `a project that is ${project.status} cannot become ${input.status}; the next status is ${next ?? 'none (accepted is the last)'}`);
			}
			const on = input.status_on ?? chinaDay();
			const column = STAGE_COLUMN[next];
			await trx.raw(`UPDATE renovation_projects SET status = :to, ${column} = :on, updated_at = now() WHERE id = :id`, { to: next, on, id: project.id });
			await writeHistory(trx, project.id, user, 'status', { status: [project.status, next], [column]: [null, on] });
		}
		if (input.progress_pct !== undefined && input.progress_pct !== project.progress_pct) {
			await trx('renovation_projects').where({ id: project.id }).update({ progress_pct: input.progress_pct, updated_at: trx.fn.now() });
			await writeHistory(trx, project.id, user, 'progress', { progress_pct: [project.progress_pct, input.progress_pct] });
		}
		const money = await writeFunds(trx, project.id, input.funds ?? []);
		if (Object.keys(money).length) await writeHistory(trx, project.id, user, 'money', money);
		const edits: Record<string, [unknown, unknown]> = {};
		const set: Record<string, unknown> = {};
		for (const field of EDITABLE) {
			const value = input[field];
			if (value !== undefined && value !== project[field]) {
				edits[field] = [project[field], value];
				set[field] = value;
			}
		}
		const start = (set.start_date ?? project.start_date) as string | null;
		const end = (set.end_date ?? project.end_date) as string | null;
		if (start && end && end < start) fail(400, `end_date ${end} is before start_date ${start}`);
		if (input.geometry) {
			await checkArea(trx, input.geometry);
			const { rows } = await trx.raw(
				`UPDATE renovation_projects SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(CAST(:g AS text)), 4326)), updated_at = now()
				 WHERE id = :id AND NOT ST_Equals(geom, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(CAST(:g AS text)), 4326))) RETURNING id`,
				{ g: input.geometry, id: project.id }
			);
			if (rows.length) edits.geometry = ['(area)', '(new area)'];
		}
		if (Object.keys(set).length) await trx('renovation_projects').where({ id: project.id }).update({ ...set, updated_at: trx.fn.now() });
		if (Object.keys(edits).length) await writeHistory(trx, project.id, user, 'edited', edits);
	});
}

// ---------------------------------------------------------------- photos before and after

export const PHOTO_PHASES = ['before', 'after'] as const;
export type PhotoPhase = (typeof PHOTO_PHASES)[number];

/** Adds a photo (checked by content, re-encoded) to a project, with its history row, in one transaction. */
export async function addPhoto(knex: Knex, user: User, code: string, phase: PhotoPhase, bytes: Uint8Array): Promise<{ id: number }> {
	const photo = await processPhoto(bytes, 'the photo');
	return knex.transaction(async (trx) => {
		const project = await trx('renovation_projects').where({ code }).forUpdate().first('id');
		if (!project) fail(404, `no renovation project with code '${code}'`);
		const [row] = await trx('renovation_photos')
			.insert({ project_id: project.id, phase, uploaded_by: user.id, mime: photo.mime, width: photo.width, height: photo.height, bytes: photo.bytes, thumb: photo.thumb })
			.returning(trx.raw('id::int AS id'));
		await writeHistory(trx, project.id, user, 'edited', { [`photo.${phase}`]: [null, row.id] });
		return { id: row.id as number };
	});
}

/** A photo of a project the caller may read (its full size, or its thumbnail), or null when the project has no such photo. */
export async function photo(knex: Knex, scope: Scope, code: string, id: number, thumb: boolean): Promise<{ mime: string; bytes: Uint8Array } | null> {
	const record = await read(knex, scope, code);
	if (!record || !record.photos.some((p) => p.id === id)) return null;
	const row = await knex('renovation_photos').where({ id }).first(thumb ? 'thumb as bytes' : 'bytes', 'mime');
	return { mime: thumb ? 'image/webp' : row.mime, bytes: new Uint8Array(row.bytes) };
}

// ---------------------------------------------------------------- places

/** The streets and communities the ledger filters by, by code. */
export async function filterPlaces(knex: Knex): Promise<{ streets: { code: string; name: string }[]; communities: { code: string; name: string; street_code: string }[] }> {
	const [streets, communities] = await Promise.all([
		knex('streets').orderBy('code').select('code', 'name'),
		knex('communities as c').join('streets as s', 's.id', 'c.street_id').orderBy('c.code').select('c.code', 'c.name', 's.code as street_code')
	]);
	return { streets, communities };
}

// ---------------------------------------------------------------- exports

export const EXPORT_FIELDS = [
	'code', 'name', 'status', 'batch', 'street_name', 'community_name', 'contractor', 'start_date', 'end_date', 'progress_pct',
	'is_demonstration', 'party_branch_set_up', 'red_property', 'budget_yuan', 'funds_secured_yuan', 'spent_yuan', 'compounds', 'buildings', 'households'
] as const satisfies readonly (keyof LedgerRow)[];

