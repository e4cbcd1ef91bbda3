/**
 * The case figures beside the county dashboard's meeting figures (issue 21): of the cases
 * reported in a period (China days, both ends included) at a point in the caller's territory,
 * - reported: how many;
 * - closed: closed (the first `closed` transition) by now; closed on time: no later than their
 *   deadline (due_at; a case without a time limit cannot be late), as 考核评价 counts it;
 * - overdue: still open and past their deadline now (the map's overdue rule, overdueSql);
 * - by 五事分流 matter type: reported, per type (every type listed, 0 when none);
 * and, per county department, the 社区吹哨、部门报到 of the period: escalations of such cases
 * made in it, acknowledged (报到) within the department's limit, late (after it, or still not
 * acknowledged past it now) and waiting (not yet due).
 */
import type { Knex } from 'knex';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { overdueSql } from '../../domain/issues.js';
import { MATTER_TYPES, type MatterType } from '../../domain/glossary.js';
import type { Period } from '../governance/dashboard.js';

export interface DepartmentAcknowledgements {
	code: string;
	name: string;
	escalations: number;
	on_time: number;
	late: number;
	waiting: number;
}

export interface CaseFigures {
	reported: number;
	closed: number;
	closed_on_time: number;
	overdue: number;
	by_matter_type: Record<MatterType, number>;
	/** departments with an escalation in the period, most escalations first */
	departments: DepartmentAcknowledgements[];
}

/** The period's instants: a China day starts at 16:00 UTC the day before. */
function bounds(period: Period) {
	const next = new Date(Date.parse(`${period.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
	return { from_at: `${period.from}T00:00:00+08:00`, to_at: `${next}T00:00:00+08:00` };
}

/** The cases of the period in the territory (`point` filters i.geom). */
const CASES = (point: string) => `SELECT i.id, i.matter_type, i.due_at, ${overdueSql('i')} AS overdue,
		(SELECT min(e.at) FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'transition' AND e.to_status = 'closed') AS closed_at
	FROM issues i
	WHERE i.reported_at >= CAST(:from_at AS timestamptz) AND i.reported_at < CAST(:to_at AS timestamptz) AND ${point}`;

export async function caseFigures(knex: Knex, scope: Scope, period: Period): Promise<CaseFigures> {
	const point = scopeFilter(scope, 'i.geom', 'point');
	const bindings = { ...point.bindings, ...bounds(period) };
	const { rows: counts } = await knex.raw(
		`WITH c AS MATERIALIZED (${CASES(point.sql)})
		SELECT c.matter_type, count(*)::int AS reported,
			(count(*) FILTER (WHERE c.closed_at IS NOT NULL))::int AS closed,
			(count(*) FILTER (WHERE c.closed_at IS NOT NULL AND (c.due_at IS NULL OR c.closed_at <= c.due_at)))::int AS closed_on_time,
			(count(*) FILTER (WHERE c.overdue))::int AS overdue
		FROM c GROUP BY c.matter_type`,
		bindings
	);
	const figures: CaseFigures = {
		reported: 0,
		closed: 0,
		closed_on_time: 0,
		overdue: 0,
		by_matter_type: Object.fromEntries(MATTER_TYPES.map((m) => [m, 0])) as Record<MatterType, number>,
		departments: []
	};
	for (const r of counts as { matter_type: MatterType; reported: number; closed: number; closed_on_time: number; overdue: number }[]) {
		figures.reported += r.reported;
		figures.closed += r.closed;
		figures.closed_on_time += r.closed_on_time;
		figures.overdue += r.overdue;
		figures.by_matter_type[r.matter_type] = r.reported;
	}
	const { rows: departments } = await knex.raw(
		`SELECT d.code, d.name, count(*)::int AS escalations,
			(count(*) FILTER (WHERE ce.acknowledged_at <= ce.ack_due_at))::int AS on_time,
			(count(*) FILTER (WHERE ce.acknowledged_at > ce.ack_due_at OR (ce.acknowledged_at IS NULL AND ce.ack_due_at < now())))::int AS late,
			(count(*) FILTER (WHERE ce.acknowledged_at IS NULL AND ce.ack_due_at >= now()))::int AS waiting
		FROM case_escalations ce JOIN departments d ON d.id = ce.department_id JOIN issues i ON i.id = ce.issue_id
		WHERE ce.escalated_at >= CAST(:from_at AS timestamptz) AND ce.escalated_at < CAST(:to_at AS timestamptz) AND ${point.sql}
		GROUP BY d.code, d.name ORDER BY escalations DESC, d.code`,
		bindings
	);
	figures.departments = departments as DepartmentAcknowledgements[];
	return figures;
}
