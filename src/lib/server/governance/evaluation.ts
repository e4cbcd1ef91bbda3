/**
 * 考核评价 (issue 14, part 5): a year's evaluation of every community and every county
 * department, for the annual target assessment (年度目标考核) — the seed's 晒绩自评 (the
 * self-report), 群众测评 (residents' ratings of closed cases) and 组织考评 (the county's
 * score), beside the case figures, 三个一 and 三张清单.
 *
 * The year runs on China days: [Y-01-01, Y+1-01-01) at +08:00. Its figures are taken at the
 * cutoff — the end of the year, or now for the current year — from the case events, so a past
 * year's figures do not move when old cases move on:
 * - reported: cases reported in the year (a community's: at a point in it; a department's:
 *   handled by it or escalated to it);
 * - closed: of those, closed by the cutoff; on time: closed no later than their deadline
 *   (due_at; a case without a time limit cannot be late); on_time_pct = on time / closed;
 * - rework: of those, sent back for rework by the cutoff: `returned` by the community on
 *   verification, or `reopened` by the reporter who found it not fixed (issue 21) — the only
 *   ways back in case_transitions; rework_pct = rework / resolved at least once;
 * - rating (群众测评): the mean resident rating (1–5) of the closed ones that were rated, and
 *   how many;
 * - backlog: cases of any year reported before the cutoff and still open at it (their last
 *   event's status);
 * - 三个一: visits, reports and joint meetings held against planned (three-ones.ts: the
 *   periods owed in the year), and overdue (owed periods ended by the cutoff without a record);
 *   a department's are summed over its liaison communities;
 * - projects: service projects done in the year against those live in it (agreed or started
 *   before its end, not done before its start); a department's are those using its resources;
 * - a department's acknowledgements (报到): escalations to it in the year, on time (by the
 *   limit) and late (after it, or still not acknowledged past it at the cutoff).
 *
 * The combined score (综合得分, 0–100, one decimal) weighs, from the figures as shown (rounded):
 *   组织考评 county_score                         40
 *   on-time closure on_time_pct                  20 (a department: 10, and 10 for ack_pct)
 *   群众测评 (rating_mean − 1) / 4 × 100          20
 *   三个一 held / (held + overdue) × 100          10 (periods still to come are no shortfall)
 *   projects done / live × 100                   10
 * A part without data (no county score yet, nothing closed, nothing rated, nothing planned,
 * no project, no escalation) drops out and the others are scaled up to 100; with no part at
 * all the score is null. The self-report is not scored: it is what the county reads before
 * it scores.
 *
 * Who reads: anyone signed in, within their territory — the communities sharing more than a
 * boundary with it (a department account: its liaison communities), their cases counted where
 * they lie in it; department rows for the county-wide roles, and a department account its own
 * department's only. Who writes: the self-report — admins, a community's admins for it, a
 * department account for its own department; the county score — admins only. Each write is
 * one transaction with an audit row; bad input is a 400 naming the field, nothing written.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { may } from '../accounts/permissions.js';
import { ADMINISTERED_COMMUNITIES, scopeFilter, type Scope } from '../ownership/territory.js';
import { audit } from '../platform/audit.js';
import * as threeOnes from './three-ones.js';
import { quantileBreaks } from '../areas/choropleth.js';
import { OPEN_STATUSES } from '../../domain/issues.js';
import { chinaDay } from '../../domain/work-calendar.js';

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
export const SELF_REPORT_MAX = 4000;

/** The weights of the combined score, per kind of row (see above). */
export const WEIGHTS = {
	community: { county_score: 40, on_time: 20, rating: 20, three_ones: 10, projects: 10 },
	department: { county_score: 40, on_time: 10, ack: 10, rating: 20, three_ones: 10, projects: 10 }
} as const;

export interface Figures {
	reported: number;
	closed: number;
	closed_on_time: number;
	on_time_pct: number | null;
	resolved: number;
	rework: number;
	rework_pct: number | null;
	rating_mean: number | null;
	rating_count: number;
	backlog: number;
	visits_held: number;
	visits_planned: number;
	reports_held: number;
	reports_planned: number;
	meetings_held: number;
	meetings_planned: number;
	/** owed periods that ended by the cutoff without a record, all three kinds */
	three_ones_overdue: number;
	three_ones_pct: number | null;
	projects_done: number;
	projects_total: number;
	projects_pct: number | null;
	/** 晒绩自评 */
	self_report: string | null;
	/** 组织考评, 0–100 */
	county_score: number | null;
	/** 综合得分 */
	combined_score: number | null;
	updated_by: string | null;
	updated_at: string | null;
	/** whether the caller may write the self-report / the county score */
	may_report: boolean;
	may_score: boolean;
}

export interface CommunityEvaluation extends Figures {
	code: string;
	name: string;
	street: string;
}

export interface DepartmentEvaluation extends Figures {
	code: string;
	name: string;
	/** liaison communities */
	communities: number;
	escalations: number;
	ack_on_time: number;
	ack_late: number;
	ack_pct: number | null;
}

export interface Evaluation {
	year: number;
	/** the instant the figures are taken at, ISO */
	cutoff: string;
	weights: typeof WEIGHTS;
	communities: CommunityEvaluation[];
	departments: DepartmentEvaluation[];
	/** four quantile breaks of the communities' combined scores, for the choropleth */
	breaks: number[];
}

/** The year's window on China days, and its cutoff: its end, or now if sooner. */
export function yearWindow(year: number, now = new Date()): { from: string; to: string; cutoff: Date } {
	const from = `${year}-01-01T00:00:00+08:00`;
	const to = `${year + 1}-01-01T00:00:00+08:00`;
	const end = new Date(to);
	return { from, to, cutoff: end < now ? end : now };
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
export const pct = (n: number, d: number): number | null => (d > 0 ? round((100 * n) / d, 1) : null);

/** The combined score from a row's shown figures (see the module comment). */
export function combinedScore(kind: 'community' | 'department', f: Pick<Figures, 'county_score' | 'on_time_pct' | 'rating_mean' | 'three_ones_pct' | 'projects_pct'> & { ack_pct?: number | null }): number | null {
	const parts: Record<string, number | null> = {
		county_score: f.county_score,
		on_time: f.on_time_pct,
		ack: f.ack_pct ?? null,
		rating: f.rating_mean === null ? null : ((f.rating_mean - 1) / 4) * 100,
		three_ones: f.three_ones_pct,
		projects: f.projects_pct
	};
	let sum = 0;
	let weight = 0;
	for (const [part, w] of Object.entries(WEIGHTS[kind])) {
		const value = parts[part];
		if (value === null || value === undefined) continue;
		sum += value * w;
		weight += w;
	}
	return weight === 0 ? null : round(sum / weight, 1);
}

// Case facts at the cutoff, one row per case reported before it: the SQL both statements
// below start from. :from, :cutoff and :open bound; `issue_filter` is a territory predicate
// from territory.ts (code, not input).
const CASE_FACTS = (issueFilter: string) => `
	SELECT i.id, i.geom, i.handler_department_id, i.rating, i.reported_at >= CAST(:from AS timestamptz) AS of_year,
		closed.at AS closed_at, closed.at IS NOT NULL AND (i.due_at IS NULL OR closed.at <= i.due_at) AS on_time,
		EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'transition' AND e.to_status = 'resolved' AND e.at < :cutoff) AS resolved,
		EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'transition' AND e.to_status IN ('returned', 'reopened') AND e.at < :cutoff) AS reworked,
		COALESCE((SELECT e.to_status FROM issue_events e WHERE e.issue_id = i.id AND e.at < :cutoff ORDER BY e.at DESC, e.id DESC LIMIT 1), i.status)
			= ANY(CAST(:open AS text[])) AS open_then
	FROM issues i
	LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'transition' AND e.to_status = 'closed' AND e.at < :cutoff) closed ON true
	WHERE i.reported_at < :cutoff AND ${issueFilter}`;

const CASE_COUNTS = `
	(count(*) FILTER (WHERE f.of_year))::int AS reported,
	(count(*) FILTER (WHERE f.of_year AND f.closed_at IS NOT NULL))::int AS closed,
	(count(*) FILTER (WHERE f.of_year AND f.on_time))::int AS closed_on_time,
	(count(*) FILTER (WHERE f.of_year AND f.resolved))::int AS resolved,
	(count(*) FILTER (WHERE f.of_year AND f.reworked))::int AS rework,
	avg(f.rating) FILTER (WHERE f.of_year AND f.closed_at IS NOT NULL AND f.rating IS NOT NULL) AS rating_mean,
	(count(*) FILTER (WHERE f.of_year AND f.closed_at IS NOT NULL AND f.rating IS NOT NULL))::int AS rating_count,
	(count(*) FILTER (WHERE f.open_then))::int AS backlog`;

type CaseCounts = { reported: number; closed: number; closed_on_time: number; resolved: number; rework: number; rating_mean: string | null; rating_count: number; backlog: number };
type Stored = { self_report: string | null; county_score: string | null; updated_by: string | null; updated_at: Date | null };

function figures(kind: 'community' | 'department', n: CaseCounts, ones: Pick<Figures, 'visits_held' | 'visits_planned' | 'reports_held' | 'reports_planned' | 'meetings_held' | 'meetings_planned' | 'three_ones_overdue'>, projects: { done: number; total: number }, stored: Stored, may: { report: boolean; score: boolean }, ackPct?: number | null): Figures {
	const held = ones.visits_held + ones.reports_held + ones.meetings_held;
	// Scored against the periods whose time has come (held, or ended without a record): a month
	// not yet reached is no shortfall.
	const base = {
		reported: n.reported,
		closed: n.closed,
		closed_on_time: n.closed_on_time,
		on_time_pct: pct(n.closed_on_time, n.closed),
		resolved: n.resolved,
		rework: n.rework,
		rework_pct: pct(n.rework, n.resolved),
		rating_mean: n.rating_mean === null ? null : round(Number(n.rating_mean), 2),
		rating_count: n.rating_count,
		backlog: n.backlog,
		...ones,
		three_ones_pct: pct(held, held + ones.three_ones_overdue),
		projects_done: projects.done,
		projects_total: projects.total,
		projects_pct: pct(projects.done, projects.total),
		self_report: stored.self_report,
		county_score: stored.county_score === null ? null : Number(stored.county_score),
		updated_by: stored.updated_by,
		updated_at: stored.updated_at ? new Date(stored.updated_at).toISOString() : null,
		may_report: may.report,
		may_score: may.score
	};
	return { ...base, combined_score: combinedScore(kind, { ...base, ack_pct: ackPct }) };
}

const onesOf = (o: threeOnes.CommunityThreeOnes | undefined) => ({
	visits_held: o?.visit.held ?? 0,
	visits_planned: o?.visit.planned ?? 0,
	reports_held: o?.report.held ?? 0,
	reports_planned: o?.report.planned ?? 0,
	meetings_held: o?.meeting.held ?? 0,
	meetings_planned: o?.meeting.planned ?? 0,
	three_ones_overdue: (o?.visit.overdue ?? 0) + (o?.report.overdue ?? 0) + (o?.meeting.overdue ?? 0)
});

/** The communities a community admin administers today (ids). */
async function administered(knex: Knex, user: User): Promise<Set<number>> {
	if (user.role !== 'community_admin' || user.person_id == null) return new Set();
	const { rows } = await knex.raw(ADMINISTERED_COMMUNITIES, { person: user.person_id });
	return new Set(rows.map((r: { community_id: number }) => r.community_id));
}

/** The year's evaluation as the caller may read it. */
export async function table(knex: Knex, user: User, scope: Scope, year: number, now = new Date()): Promise<Evaluation> {
	// A community's row is the whole community's: a grid worker's or building head's territory
	// would count only part of its cases under its name, so the evaluation is not theirs to read.
	if (!may(user, 'evaluation.read')) fail(403, `a ${user.role} account does not read evaluations: they are for the county, communities and departments`);
	if (year > Number(chinaDay(now).slice(0, 4))) fail(400, `year ${year} has not begun: evaluations run to this year`);
	const { from, to, cutoff } = yearWindow(year, now);
	const today = chinaDay(now);
	const area = scopeFilter(scope, 'c.geom', 'area');
	const point = scopeFilter(scope, 'i.geom', 'point');
	const bindings = { from, to, cutoff, open: [...OPEN_STATUSES], year, fromDay: `${year}-01-01`, toDay: `${year + 1}-01-01`, cutoffDay: chinaDay(cutoff) };
	const { rows: communityRows } = await knex.raw(
		`WITH f AS MATERIALIZED (${CASE_FACTS(point.sql)})
		SELECT c.id, c.code, c.name, s.name AS street, n.*, p.done, p.total,
			ev.self_report, ev.county_score, ev.updated_by, ev.updated_at
		FROM communities c JOIN streets s ON s.id = c.street_id
		CROSS JOIN LATERAL (SELECT ${CASE_COUNTS} FROM f WHERE ST_Covers(c.geom, f.geom)) n
		CROSS JOIN LATERAL (
			SELECT (count(*) FILTER (WHERE sp.done_on >= CAST(:fromDay AS date) AND sp.done_on < LEAST(CAST(:cutoffDay AS date) + 1, CAST(:toDay AS date))))::int AS done, count(*)::int AS total
			FROM service_projects sp
			WHERE sp.community_id = c.id AND COALESCE(sp.started_on, CAST((sp.created_at AT TIME ZONE 'UTC') + interval '8 hours' AS date)) < CAST(:toDay AS date)
				AND (sp.done_on IS NULL OR sp.done_on >= CAST(:fromDay AS date))
		) p
		LEFT JOIN evaluations ev ON ev.year = :year AND ev.community_id = c.id
		WHERE ${area.sql}
		ORDER BY c.code`,
		{ ...bindings, ...area.bindings, ...point.bindings }
	);
	const departmentsVisible = may(user, 'department.read', { isOwn: user.department_id != null });
	const { rows: departmentRows } = departmentsVisible
		? await knex.raw(
				`WITH f AS MATERIALIZED (${CASE_FACTS('true')})
				SELECT d.id, d.code, d.name, n.*, p.done, p.total, x.escalations, x.ack_on_time, x.ack_late,
					(SELECT count(*)::int FROM community_liaisons l WHERE l.department_id = d.id) AS communities,
					ev.self_report, ev.county_score, ev.updated_by, ev.updated_at
				FROM departments d
				CROSS JOIN LATERAL (SELECT ${CASE_COUNTS} FROM f
					WHERE f.handler_department_id = d.id OR EXISTS (SELECT 1 FROM case_escalations ce WHERE ce.issue_id = f.id AND ce.department_id = d.id)) n
				CROSS JOIN LATERAL (
					SELECT count(*)::int AS escalations,
						(count(*) FILTER (WHERE ce.acknowledged_at < :cutoff AND ce.acknowledged_at <= ce.ack_due_at))::int AS ack_on_time,
						(count(*) FILTER (WHERE ce.ack_due_at < :cutoff AND (ce.acknowledged_at IS NULL OR ce.acknowledged_at >= :cutoff OR ce.acknowledged_at > ce.ack_due_at)))::int AS ack_late
					FROM case_escalations ce WHERE ce.department_id = d.id AND ce.escalated_at >= CAST(:from AS timestamptz) AND ce.escalated_at < :cutoff
				) x
				CROSS JOIN LATERAL (
					SELECT (count(*) FILTER (WHERE sp.done_on >= CAST(:fromDay AS date) AND sp.done_on < LEAST(CAST(:cutoffDay AS date) + 1, CAST(:toDay AS date))))::int AS done, count(*)::int AS total
					FROM service_projects sp JOIN resources r ON r.id = sp.resource_id
					WHERE r.department_id = d.id AND COALESCE(sp.started_on, CAST((sp.created_at AT TIME ZONE 'UTC') + interval '8 hours' AS date)) < CAST(:toDay AS date)
						AND (sp.done_on IS NULL OR sp.done_on >= CAST(:fromDay AS date))
				) p
				LEFT JOIN evaluations ev ON ev.year = :year AND ev.department_id = d.id
				WHERE CAST(:own AS int) IS NULL OR d.id = :own
				ORDER BY d.code`,
				{ ...bindings, own: user.role === 'department' ? user.department_id : null }
			)
		: { rows: [] };
	// 三个一 of every community (a department's are summed over its liaison communities, which
	// may reach beyond what the caller reads as rows).
	const ones = new Map((await threeOnes.table(knex, { kind: 'all' }, year, today)).map((o) => [o.code, o]));
	const mine = await administered(knex, user);
	const admin = may(user, 'evaluation.score');
	const communities: CommunityEvaluation[] = communityRows.map((r: CaseCounts & Stored & { id: number; code: string; name: string; street: string; done: number; total: number }) => ({
		code: r.code,
		name: r.name,
		street: r.street,
		...figures('community', r, onesOf(ones.get(r.code)), { done: r.done, total: r.total }, r, { report: admin || mine.has(r.id), score: admin })
	}));
	let liaisons = new Map<number, string[]>();
	if (departmentRows.length) {
		const { rows } = await knex.raw(`SELECT l.department_id, c.code FROM community_liaisons l JOIN communities c ON c.id = l.community_id WHERE l.department_id = ANY(:ids)`, {
			ids: departmentRows.map((d: { id: number }) => d.id)
		});
		liaisons = new Map();
		for (const r of rows as { department_id: number; code: string }[]) liaisons.set(r.department_id, [...(liaisons.get(r.department_id) ?? []), r.code]);
	}
	const departments: DepartmentEvaluation[] = departmentRows.map(
		(r: CaseCounts & Stored & { id: number; code: string; name: string; communities: number; done: number; total: number; escalations: number; ack_on_time: number; ack_late: number }) => {
			const summed = { visits_held: 0, visits_planned: 0, reports_held: 0, reports_planned: 0, meetings_held: 0, meetings_planned: 0, three_ones_overdue: 0 };
			for (const code of liaisons.get(r.id) ?? []) {
				const o = onesOf(ones.get(code));
				for (const k of Object.keys(summed) as (keyof typeof summed)[]) summed[k] += o[k];
			}
			const ackPct = pct(r.ack_on_time, r.ack_on_time + r.ack_late);
			return {
				code: r.code,
				name: r.name,
				communities: r.communities,
				escalations: r.escalations,
				ack_on_time: r.ack_on_time,
				ack_late: r.ack_late,
				ack_pct: ackPct,
				...figures('department', r, summed, { done: r.done, total: r.total }, r, { report: admin || (user.role === 'department' && user.department_id === r.id), score: admin }, ackPct)
			};
		}
	);
	const scores = communities.map((c) => c.combined_score).filter((v): v is number => v !== null);
	return { year, cutoff: cutoff.toISOString(), weights: WEIGHTS, communities, departments, breaks: quantileBreaks(scores, [0.2, 0.4, 0.6, 0.8]) };
}

/** The communities the caller may read as GeoJSON, for the page's choropleth (the score is joined on the client). */
export async function communityShapes(knex: Knex, scope: Scope): Promise<{ type: 'FeatureCollection'; features: unknown[] }> {
	const area = scopeFilter(scope, 'c.geom', 'area');
	const { rows } = await knex.raw(`SELECT c.code, c.name, ST_AsGeoJSON(c.geom, 6)::json AS geometry FROM communities c WHERE ${area.sql} ORDER BY c.code`, area.bindings);
	return { type: 'FeatureCollection', features: rows.map((r: { code: string; name: string; geometry: unknown }) => ({ type: 'Feature', geometry: r.geometry, properties: { code: r.code, name: r.name } })) };
}

// ---------------------------------------------------------------- writing

export interface EvaluationInput {
	year: number;
	/** absent: unchanged; null: cleared */
	self_report?: string | null;
	county_score?: number | null;
}

type Subject = { kind: 'community' | 'department'; id: number; code: string };

/** The community or department a caller writes for: 404 unknown (or another department's, to a department account), 403 not theirs. */
async function writable(knex: Knex, user: User, scope: Scope, kind: Subject['kind'], code: string, input: EvaluationInput): Promise<Subject> {
	if (input.county_score !== undefined && !may(user, 'evaluation.score')) fail(403, `a ${user.role} account may not give the county score (组织考评)`);
	if (kind === 'community') {
		const area = scopeFilter(scope, 'c.geom', 'area');
		const { rows } = await knex.raw(`SELECT c.id, c.code, ${area.sql} AS mine FROM communities c WHERE c.code = :code`, { ...area.bindings, code });
		const c = rows[0];
		if (!c) fail(404, `no community with code '${code.slice(0, 60)}'`);
		if (!c.mine) fail(403, `community '${code}' lies outside your territory`);
		if (!may(user, 'evaluation.write', { inTerritory: (await administered(knex, user)).has(c.id) })) fail(403, `a ${user.role} account may not write the self-report of community '${code}'`);
		return { kind, id: c.id, code: c.code };
	}
	const d = await knex('departments').where({ code }).first('id', 'code');
	if (user.role === 'department') {
		if (!d || d.id !== user.department_id) fail(404, `no department '${code.slice(0, 60)}'`);
		return { kind, id: d.id, code: d.code };
	}
	if (!may(user, 'evaluation.write', { isOwn: false })) fail(403, `a ${user.role} account may not write a department's evaluation`);
	if (!d) fail(404, `no department '${code.slice(0, 60)}'`);
	return { kind, id: d.id, code: d.code };
}

/** Writes a self-report and/or a county score: one transaction with an audit row. */
export async function save(knex: Knex, user: User, scope: Scope, kind: Subject['kind'], code: string, input: EvaluationInput): Promise<void> {
	const column = kind === 'community' ? 'community_id' : 'department_id';
	if (input.year > Number(chinaDay().slice(0, 4))) fail(400, `year ${input.year} has not begun: evaluations run to this year`);
	await knex.transaction(async (trx) => {
		// Who may write is decided inside the transaction, with the write it allows.
		const subject = await writable(trx, user, scope, kind, code, input);
		const before = await trx('evaluations').where({ year: input.year, [column]: subject.id }).forUpdate().first('self_report', 'county_score');
		const after = {
			self_report: input.self_report !== undefined ? input.self_report : (before?.self_report ?? null),
			county_score: input.county_score !== undefined ? input.county_score : before?.county_score == null ? null : Number(before.county_score)
		};
		// The partial unique index is the conflict target: a second writer racing the first updates its row.
		await trx.raw(
			`INSERT INTO evaluations (year, ${column}, self_report, county_score, updated_by, updated_at) VALUES (:year, :id, :report, :score, :by, now())
			 ON CONFLICT (year, ${column}) WHERE ${column} IS NOT NULL
			 DO UPDATE SET self_report = EXCLUDED.self_report, county_score = EXCLUDED.county_score, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
			{ year: input.year, id: subject.id, report: after.self_report, score: after.county_score, by: user.username }
		);
		await audit(trx, user, `evaluate_${kind}`, `evaluation:${kind}:${subject.code}:${input.year}`, {
			year: input.year,
			before: before ? { self_report: before.self_report, county_score: before.county_score == null ? null : Number(before.county_score) } : null,
			after
		});
	});
}

// ---------------------------------------------------------------- export

export type Column<T> = [field: keyof T & string, label: string];
const FIGURE_COLUMNS: Column<Figures>[] = [
	['reported', '上报案件'],
	['closed', '结案'],
	['closed_on_time', '按时结案'],
	['on_time_pct', '按时结案率(%)'],
	['rework', '返工'],
	['rework_pct', '返工率(%)'],
	['rating_mean', '群众测评均分'],
	['rating_count', '测评数'],
	['backlog', '积压'],
	['visits_held', '走访已开展'],
	['visits_planned', '走访应开展'],
	['reports_held', '汇报已开展'],
	['reports_planned', '汇报应开展'],
	['meetings_held', '联席会已召开'],
	['meetings_planned', '联席会应召开'],
	['three_ones_pct', '三个一完成率(%)'],
	['projects_done', '项目完成'],
	['projects_total', '项目总数'],
	['projects_pct', '项目完成率(%)'],
	['county_score', '组织考评'],
	['combined_score', '综合得分'],
	['self_report', '晒绩自评']
];
/** The columns of the export's community sheet (and of the CSV), in order. */
export const COMMUNITY_COLUMNS: Column<CommunityEvaluation>[] = [['code', '社区代码'], ['name', '社区'], ['street', '街道'], ...FIGURE_COLUMNS];
/** The columns of the department sheet. */
export const DEPARTMENT_COLUMNS: Column<DepartmentEvaluation>[] = [
	['code', '部门代码'],
	['name', '部门'],
	['communities', '联系社区'],
	['escalations', '吹哨报到'],
	['ack_on_time', '按时报到'],
	['ack_late', '超时报到'],
	['ack_pct', '按时报到率(%)'],
	...FIGURE_COLUMNS
];
