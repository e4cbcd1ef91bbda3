/**
 * The county dashboard (issue 14, part 6): the seed's figures of the First Secretary model,
 * computed from the records for a chosen period (China days, both ends included), each backed
 * by the list of exactly the records it counts.
 *
 * What each figure counts (one definition, `RECORDS`, serves the figure, its breakdowns and its
 * list, so a figure and its list cannot disagree):
 * - opinions collected (收集群众意见建议): demands recorded in the period (需求清单, collected by
 *   grid workers and building heads) and matters raised at joint meetings held in it;
 * - solved on site (现场解决): matters resolved on the spot at joint meetings held in it;
 * - meetings held (召开联席会): joint meetings (共驻共建联席会) held in it;
 * - matters discussed (共议事项): every matter, raised or resolved, of those meetings;
 * - projects carried out (推进服务项目): service projects under way at some time in the period —
 *   begun (not merely planned) on or before its last day and not done before its first;
 * - agreements signed (签订协议): agreements of the meetings held in it;
 * - people served (服务群众人次): the residents served, as recorded on in-service party members'
 *   service claims done in the period (双报到) — a sum, not a count of claims.
 * Project days before their start is set are China days of their creation.
 *
 * Territory: meetings, matters, agreements and projects are read where their community shares
 * more than a boundary with the caller's territory (as 三个一 and 三张清单 read them), demands
 * where their point lies in it, claims where their item's community does — and, for a
 * department account, its own members' claims wherever they serve, as 双报到 counts them.
 * Anonymous callers get a 401: these are records, not outlines.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { chinaDay } from '../../domain/work-calendar.js';
import { DASHBOARD_FIGURES, presetPeriod, type DashboardFigure, type RecordKind } from '../../domain/dashboard.js';

export { DASHBOARD_FIGURES, type DashboardFigure };
/** The longest period asked for at once, in days (ten years). */
export const MAX_PERIOD_DAYS = 3660;
/** The most records one list returns; `total` still tells how many there are. */
export const RECORD_LIMIT = 2000;
const DAY_MS = 86_400_000;

export interface Period {
	/** first day, YYYY-MM-DD */
	from: string;
	/** last day (included), YYYY-MM-DD */
	to: string;
}

export interface DashboardRecord {
	key: string;
	kind: RecordKind;
	id: number;
	title: string | null;
	community_code: string;
	community_name: string;
	day: string;
	href: string;
	/** what the record adds to its figure: 1, or the people a claim served */
	weight: number;
}

export interface FigureSummary {
	figure: DashboardFigure;
	value: number;
	/** value per community code (only communities with some) */
	by_community: Record<string, number>;
	/** value per month YYYY-MM of the period, every month listed */
	by_month: Record<string, number>;
}

export interface CommunityOutline {
	code: string;
	name: string;
	geometry: unknown;
	/** where its label goes: a point inside it, [lng, lat] */
	label: [number, number];
}

export interface Dashboard {
	period: Period;
	figures: FigureSummary[];
	communities: CommunityOutline[];
	/** the name of every community code in the figures (a department's members may serve outside its communities) */
	names: Record<string, string>;
}

/** The meetings (joint meetings) held in the period that the caller may read. */
function meetingsCte(area: string): string {
	return `meetings AS (
		SELECT a.id, to_char(a.held_on, 'YYYY-MM-DD') AS day, a.place, c.code, c.name
		FROM first_secretary_activities a JOIN communities c ON c.id = a.community_id
		WHERE a.kind = 'meeting' AND a.held_on >= CAST(:from AS date) AND a.held_on <= CAST(:to AS date) AND ${area})`;
}

const COLUMNS = 'key, kind, id, title, community_code, community_name, day, href, weight';

const MATTERS = (kinds: string) => `SELECT 'matter:' || mm.id AS key, 'matter_' || mm.kind AS kind, mm.id, mm.text AS title, m.code AS community_code,
	m.name AS community_name, m.day, '/meetings/' || m.id AS href, 1 AS weight
	FROM meeting_matters mm JOIN meetings m ON m.id = mm.activity_id WHERE mm.kind IN (${kinds})`;

/**
 * The records behind each figure (a literal `?` is written `\\?`: knex reads a bare one as a
 * binding), as SQL over the CTE `meetings` and the bindings :from, :to
 * (days), :from_at, :to_at (the instants that bound those China days) and the territory.
 * `area` filters on c.geom, `point` on d.geom (territory.ts).
 */
const RECORDS: Record<DashboardFigure, (area: string, point: string) => string> = {
	opinions: (_area, point) => `${MATTERS("'raised'")}
		UNION ALL
		SELECT 'demand:' || d.id, 'demand', d.id, d.title, c.code, c.name,
			to_char((d.created_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'), '/service-lists\\?tab=demands', 1
		FROM demands d JOIN communities c ON c.id = d.community_id
		WHERE d.created_at >= CAST(:from_at AS timestamptz) AND d.created_at < CAST(:to_at AS timestamptz) AND ${point}`,
	solved_on_site: () => MATTERS("'resolved'"),
	meetings: () => `SELECT 'meeting:' || m.id, 'meeting', m.id, m.place, m.code, m.name, m.day, '/meetings/' || m.id, 1 FROM meetings m`,
	matters: () => MATTERS("'raised', 'resolved'"),
	projects: (area) => `SELECT 'project:' || p.id, 'project', p.id, p.title, c.code, c.name,
			to_char(COALESCE(p.started_on, CAST((p.created_at AT TIME ZONE 'UTC') + interval '8 hours' AS date)), 'YYYY-MM-DD'), '/service-lists\\?tab=projects', 1
		FROM service_projects p JOIN communities c ON c.id = p.community_id
		WHERE p.status <> 'planned' AND COALESCE(p.started_on, CAST((p.created_at AT TIME ZONE 'UTC') + interval '8 hours' AS date)) <= CAST(:to AS date)
			AND (p.done_on IS NULL OR p.done_on >= CAST(:from AS date)) AND ${area}`,
	agreements: () => `SELECT 'agreement:' || g.id, 'agreement', g.id, g.text, m.code, m.name, m.day, '/meetings/' || m.id, 1
		FROM meeting_agreements g JOIN meetings m ON m.id = g.activity_id`,
	people_served: (area) => `SELECT 'claim:' || k.id, 'claim', k.id, i.title, c.code, c.name, to_char(k.done_on, 'YYYY-MM-DD'), '/dual-reporting', COALESCE(k.people_served, 0)
		FROM service_claims k JOIN service_items i ON i.id = k.item_id JOIN communities c ON c.id = i.community_id JOIN party_members pm ON pm.id = k.member_id
		WHERE k.done_on >= CAST(:from AS date) AND k.done_on <= CAST(:to AS date) AND (${area} OR pm.department_id = :own_department)`
};

/** The statement listing a figure's records (as the columns COLUMNS), with its bindings. */
function recordsQuery(user: User, scope: Scope, period: Period, figure: DashboardFigure): { sql: string; bindings: Record<string, unknown> } {
	const area = scopeFilter(scope, 'c.geom', 'area');
	const point = scopeFilter(scope, 'd.geom', 'point');
	const body = RECORDS[figure](area.sql, point.sql);
	return {
		sql: `WITH ${meetingsCte(area.sql)} SELECT ${COLUMNS} FROM (${body}) AS r (${COLUMNS})`,
		bindings: {
			...area.bindings, ...point.bindings, ...instants(period),
			// a department account also reads its own members' claims, wherever they serve (as 双报到 does)
			own_department: user.role === 'department' ? (user.department_id ?? -1) : -1
		}
	};
}

/** The period's days and the instants bounding them: a China day starts at 16:00 UTC the day before. */
function instants(period: Period) {
	const next = new Date(Date.parse(`${period.to}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
	return { from: period.from, to: period.to, from_at: `${period.from}T00:00:00+08:00`, to_at: `${next}T00:00:00+08:00` };
}

/** Every month YYYY-MM from the period's first to its last. */
function months(period: Period): string[] {
	const out: string[] = [];
	let y = Number(period.from.slice(0, 4));
	let m = Number(period.from.slice(5, 7));
	const last = period.to.slice(0, 7);
	for (;;) {
		const key = `${y}-${String(m).padStart(2, '0')}`;
		out.push(key);
		if (key >= last) return out;
		if (++m > 12) [y, m] = [y + 1, 1];
	}
}

/** The figures of a period, each with its value per community and per month, and the outlines of the communities the caller may read. */
export async function dashboard(knex: Knex, user: User, scope: Scope, period: Period): Promise<Dashboard> {
	const u = user;
	const names: Record<string, string> = {};
	const figures = await Promise.all(
		DASHBOARD_FIGURES.map(async (figure): Promise<FigureSummary> => {
			const q = recordsQuery(u, scope, period, figure);
			// A project begun before the period counts in its first month.
			const { rows } = await knex.raw(
				`SELECT community_code, community_name, substr(GREATEST(day, :from), 1, 7) AS month, sum(weight)::int AS n FROM (${q.sql}) x GROUP BY 1, 2, 3`,
				q.bindings
			);
			const by_month = Object.fromEntries(months(period).map((m) => [m, 0]));
			const by_community: Record<string, number> = {};
			let value = 0;
			for (const r of rows as { community_code: string; community_name: string; month: string; n: number }[]) {
				names[r.community_code] = r.community_name;
				value += r.n;
				by_community[r.community_code] = (by_community[r.community_code] ?? 0) + r.n;
				if (r.month in by_month) by_month[r.month] += r.n;
			}
			return { figure, value, by_community, by_month };
		})
	);
	const area = scopeFilter(scope, 'c.geom', 'area');
	const { rows: communities } = await knex.raw(
		`SELECT c.code, c.name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(c.geom, 0.00005), 6)::json AS geometry,
			json_build_array(round(ST_X(ST_PointOnSurface(c.geom))::numeric, 6), round(ST_Y(ST_PointOnSurface(c.geom))::numeric, 6)) AS label
		 FROM communities c WHERE ${area.sql} ORDER BY c.code`,
		area.bindings
	);
	return { period, figures, communities, names };
}

/** The records behind one figure in a period, newest first; `community` narrows them to one community. */
export async function records(
	knex: Knex, user: User, scope: Scope, period: Period, figure: DashboardFigure, community?: string
): Promise<{ figure: DashboardFigure; period: Period; community: string | null; total: number; value: number; records: DashboardRecord[] }> {
	const u = user;
	const q = recordsQuery(u, scope, period, figure);
	const bindings = { ...q.bindings, community: community ?? null };
	const where = `WHERE (CAST(:community AS text) IS NULL OR x.community_code = :community)`;
	// One pass: the window totals are taken over every row before the limit cuts the list.
	const { rows } = await knex.raw(
		`SELECT x.*, count(*) OVER ()::int AS total, sum(x.weight) OVER ()::int AS value FROM (${q.sql}) x ${where} ORDER BY x.day DESC, x.key LIMIT ${RECORD_LIMIT}`,
		bindings
	);
	const list = rows as (DashboardRecord & { total: number; value: number })[];
	return {
		figure, period, community: community ?? null, total: list[0]?.total ?? 0, value: list[0]?.value ?? 0,
		records: list.map(({ total: _total, value: _value, ...r }) => ({ ...r, id: Number(r.id), weight: Number(r.weight) }))
	};
}

/** The period from `from` to `to` (both included, either may be absent): by default this year up to today (China). */
export function period(given: { from?: string; to?: string }, today = chinaDay()): Period {
	const from = given.from ?? presetPeriod('year', today).from;
	// Without `to`: up to today, or to the end of the year of a `from` after today.
	const to = given.to ?? (from > today ? presetPeriod('year', from).to : today);
	if (from > to) fail(400, `from ${from} is after to ${to}`);
	if ((Date.parse(to) - Date.parse(from)) / DAY_MS > MAX_PERIOD_DAYS) fail(400, `from ${from} to ${to} spans more than ${MAX_PERIOD_DAYS} days`);
	return { from, to };
}
