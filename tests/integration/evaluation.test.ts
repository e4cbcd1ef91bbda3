/**
 * 考核评价 on a real PostGIS (issue 14, part 5): each figure of a community's and a
 * department's row equals an independent SQL count over the cases, events, escalations and
 * projects (after known edits: ratings, an escalation acknowledged on time and one late, a
 * project done); the combined score follows the documented weights; each caller reads its
 * territory's rows only; writes leave one audit row each, refusals and bad input nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHandler } from '../helpers/call.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as evaluation from '../../src/lib/server/governance/evaluation.js';
import * as evaluationHttp from '../../src/lib/server/http/evaluation.js';
import * as threeOnes from '../../src/lib/server/governance/three-ones.js';
import type { Handler } from '../../src/lib/server/http/endpoint.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';

let t: TestDatabase;
const users: Record<string, User> = {};
/** The demo community admin's community, and the demo department. */
let home: { id: number; code: string };
let dep: { id: number; code: string };

beforeAll(async () => {
	t = await createTestDatabase('sample');
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) users[r.role] = r;
	home = (await t.db.knex.raw(
		`SELECT c.id, c.code FROM communities c JOIN assignments a ON a.community_id = c.id WHERE a.person_id = :p AND a.role = 'community_secretary' AND a.valid_to IS NULL LIMIT 1`,
		{ p: users.community_admin.person_id }
	)).rows[0];
	dep = await t.db.knex('departments').where({ id: users.department.department_id }).first('id', 'code');
	// Known edits: residents rate five of the community's closed cases of 2026; the department
	// is escalated two of its cases, one acknowledged in time and one late; a project is done.
	await t.db.knex.raw(
		`UPDATE issues SET rating = 1 + (id % 5) WHERE id IN (SELECT i.id FROM issues i JOIN communities c ON ST_Covers(c.geom, i.geom)
			WHERE c.id = :c AND i.status = 'closed' AND i.reported_at >= '2026-01-01T00:00:00+08:00' ORDER BY i.id LIMIT 5)`,
		{ c: home.id }
	);
	const two = (await t.db.knex.raw(`SELECT id FROM issues WHERE reported_at >= '2026-03-01' AND handler_department_id IS DISTINCT FROM :d ORDER BY id LIMIT 2`, { d: dep.id })).rows;
	await t.db.knex('case_escalations').insert([
		{ issue_id: two[0].id, department_id: dep.id, escalated_at: '2026-05-01T02:00:00Z', ack_due_at: '2026-05-01T10:00:00Z', acknowledged_at: '2026-05-01T05:00:00Z' },
		{ issue_id: two[1].id, department_id: dep.id, escalated_at: '2026-06-01T02:00:00Z', ack_due_at: '2026-06-01T10:00:00Z', acknowledged_at: '2026-06-03T05:00:00Z' }
	]);
	await t.db.knex.raw(
		`UPDATE service_projects SET status = 'done', progress_pct = 100, done_on = '2026-11-20'
		 WHERE id = (SELECT min(sp.id) FROM service_projects sp JOIN resources r ON r.id = sp.resource_id WHERE r.department_id IS NOT NULL)`
	);
});
afterAll(async () => {
	await t?.drop();
});

async function as(role: string | null, handler: Handler, params: Record<string, string> = {}, body?: unknown, method = 'GET', query = '') {
	return callHandler(t.db, role ? users[role] : null, handler, { params, body, method, query });
}
const one = async (sql: string, bindings: Record<string, unknown>) => (await t.db.knex.raw(sql, bindings)).rows[0];

/** The figures of a set of cases (`cases`: a subquery of issue ids reported in the year) at a cutoff, counted independently. */
async function caseFigures(cases: string, backlogCases: string, bindings: Record<string, unknown>) {
	const r = await one(
		`WITH y AS (${cases}),
		closes AS (SELECT e.issue_id, min(e.at) AS at FROM issue_events e WHERE e.kind = 'transition' AND e.to_status = 'closed' AND e.at < :cutoff GROUP BY e.issue_id),
		back AS (SELECT DISTINCT e.issue_id FROM issue_events e WHERE e.kind = 'transition' AND e.to_status IN ('returned', 'reopened') AND e.at < :cutoff),
		res AS (SELECT DISTINCT e.issue_id FROM issue_events e WHERE e.kind = 'transition' AND e.to_status = 'resolved' AND e.at < :cutoff),
		last AS (SELECT DISTINCT ON (e.issue_id) e.issue_id, e.to_status FROM issue_events e WHERE e.at < :cutoff ORDER BY e.issue_id, e.at DESC, e.id DESC)
		SELECT (SELECT count(*) FROM y)::int AS reported,
			(SELECT count(*) FROM y JOIN closes ON closes.issue_id = y.id)::int AS closed,
			(SELECT count(*) FROM y JOIN closes ON closes.issue_id = y.id JOIN issues i ON i.id = y.id WHERE i.due_at IS NULL OR closes.at <= i.due_at)::int AS closed_on_time,
			(SELECT count(*) FROM y JOIN res ON res.issue_id = y.id)::int AS resolved,
			(SELECT count(*) FROM y JOIN back ON back.issue_id = y.id)::int AS rework,
			(SELECT round(avg(i.rating), 2)::float8 FROM y JOIN closes ON closes.issue_id = y.id JOIN issues i ON i.id = y.id) AS rating_mean,
			(SELECT count(i.rating) FROM y JOIN closes ON closes.issue_id = y.id JOIN issues i ON i.id = y.id)::int AS rating_count,
			(SELECT count(*) FROM (${backlogCases}) b JOIN last ON last.issue_id = b.id
				WHERE last.to_status IN ('reported', 'registered', 'dispatched', 'in_progress', 'returned', 'escalated', 'backlog', 'reopened'))::int AS backlog`,
		bindings
	);
	return r;
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((1000 * n) / d) / 10 : null);

describe('figures against independent SQL', () => {
	it.each([2025, 2026])("the community admin's community in %i", async (year) => {
		const res = await as('admin', evaluationHttp.getEvaluation, {}, undefined, 'GET', `year=${year}`);
		expect(res.status).toBe(200);
		const row = res.body.communities.find((c: { code: string }) => c.code === home.code);
		const cutoff = new Date(res.body.cutoff);
		// a past year is taken at its end; this year now
		if (year === 2025) expect(cutoff.getTime()).toBe(Date.parse('2026-01-01T00:00:00+08:00'));
		else expect(Math.abs(cutoff.getTime() - Date.now())).toBeLessThan(60_000);
		const inCommunity = `SELECT i.id FROM issues i, communities c WHERE c.id = :c AND ST_Covers(c.geom, i.geom)`;
		const f = await caseFigures(
			`${inCommunity} AND i.reported_at >= :from AND i.reported_at < :cutoff`,
			`${inCommunity} AND i.reported_at < :cutoff`,
			{ c: home.id, from: `${year}-01-01T00:00:00+08:00`, cutoff }
		);
		expect(f.reported).toBeGreaterThan(10);
		expect(f.rework).toBeGreaterThan(0);
		expect(row).toMatchObject({
			reported: f.reported,
			closed: f.closed,
			closed_on_time: f.closed_on_time,
			on_time_pct: rate(f.closed_on_time, f.closed),
			resolved: f.resolved,
			rework: f.rework,
			rework_pct: rate(f.rework, f.resolved),
			rating_mean: f.rating_mean,
			rating_count: f.rating_count,
			backlog: f.backlog
		});
		if (year === 2026) {
			// the sample's ratings and the five made above
			expect(row.rating_count).toBeGreaterThan(5);
			// The current year's backlog is what is open now.
			const open = await one(`SELECT count(*)::int AS n FROM issues i, communities c WHERE c.id = :c AND ST_Covers(c.geom, i.geom) AND i.status IN ('reported', 'registered', 'dispatched', 'in_progress', 'returned', 'escalated', 'backlog', 'reopened')`, { c: home.id });
			expect(row.backlog).toBe(open.n);
			expect(row.self_report).toBeNull();
		} else {
			expect(row.rating_count).toBeGreaterThan(0);
		}
		const ones = (await threeOnes.table(t.db.knex, { kind: 'all' }, year)).find((o) => o.code === home.code)!;
		expect([row.visits_held, row.visits_planned, row.reports_held, row.reports_planned, row.meetings_held, row.meetings_planned]).toEqual([
			ones.visit.held, ones.visit.planned, ones.report.held, ones.report.planned, ones.meeting.held, ones.meeting.planned
		]);
		const meetings = await one(
			`SELECT count(DISTINCT (extract(month FROM held_on)::int - 1) / 6)::int AS n FROM first_secretary_activities WHERE community_id = :c AND kind = 'meeting' AND held_on >= :f AND held_on < :t`,
			{ c: home.id, f: `${year}-01-01`, t: `${year + 1}-01-01` }
		);
		expect(row.meetings_held).toBe(meetings.n);
		// scored against the periods whose time has come: held, or ended without a record
		const held = ones.visit.held + ones.report.held + ones.meeting.held;
		const due = held + ones.visit.overdue + ones.report.overdue + ones.meeting.overdue;
		expect(row.three_ones_pct).toBe(rate(held, due));
		if (year === 2026) expect(due).toBeLessThan(ones.visit.planned + ones.report.planned + ones.meeting.planned);
		const p = await one(
			`SELECT count(*) FILTER (WHERE done_on BETWEEN :f AND :l)::int AS done, count(*)::int AS total FROM service_projects
			 WHERE community_id = :c AND COALESCE(started_on, (created_at AT TIME ZONE 'Asia/Shanghai')::date) <= :l AND (done_on IS NULL OR done_on >= :f)`,
			{ c: home.id, f: `${year}-01-01`, l: `${year}-12-31` }
		);
		expect([row.projects_done, row.projects_total]).toEqual([p.done, p.total]);
	});

	it("the demo department's row: its cases, its acknowledgements, its projects", async () => {
		const res = await as('admin', evaluationHttp.getEvaluation, {}, undefined, 'GET', 'year=2026');
		expect(res.body.departments).toHaveLength(Number((await t.db.knex('departments').count({ n: '*' }))[0].n));
		const row = res.body.departments.find((d: { code: string }) => d.code === dep.code);
		const cutoff = new Date(res.body.cutoff);
		const mine = `SELECT i.id FROM issues i WHERE (i.handler_department_id = :d OR i.id IN (SELECT issue_id FROM case_escalations WHERE department_id = :d))`;
		const f = await caseFigures(`${mine} AND i.reported_at >= :from AND i.reported_at < :cutoff`, `${mine} AND i.reported_at < :cutoff`, { d: dep.id, from: '2026-01-01T00:00:00+08:00', cutoff });
		expect(f.reported).toBeGreaterThan(0);
		expect(row).toMatchObject({ ...f, on_time_pct: rate(f.closed_on_time, f.closed), rework_pct: rate(f.rework, f.resolved) });
		expect(row).toMatchObject({ escalations: 2, ack_on_time: 1, ack_late: 1, ack_pct: 50 });
		const p = await one(
			`SELECT count(*) FILTER (WHERE sp.done_on BETWEEN :f AND :l)::int AS done, count(*)::int AS total FROM service_projects sp JOIN resources r ON r.id = sp.resource_id
			 WHERE r.department_id = :d AND COALESCE(sp.started_on, (sp.created_at AT TIME ZONE 'Asia/Shanghai')::date) <= :l AND (sp.done_on IS NULL OR sp.done_on >= :f)`,
			{ d: dep.id, f: '2026-01-01', l: '2026-12-31' }
		);
		expect([row.projects_done, row.projects_total]).toEqual([p.done, p.total]);
		const liaisons = (await t.db.knex('community_liaisons').join('communities', 'communities.id', 'community_liaisons.community_id').where({ department_id: dep.id }).pluck('communities.code')) as string[];
		const ones = (await threeOnes.table(t.db.knex, { kind: 'all' }, 2026)).filter((o) => liaisons.includes(o.code));
		expect(row.communities).toBe(liaisons.length);
		expect(row.meetings_planned).toBe(ones.reduce((n, o) => n + o.meeting.planned, 0));
		expect(row.visits_held).toBe(ones.reduce((n, o) => n + o.visit.held, 0));
		expect(row.self_report).toMatch(/按时报到/);
	});

	it('a year not yet begun is a 400; grid workers and building heads read no evaluation (403)', async () => {
		const next = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4)) + 1;
		const future = await as('admin', evaluationHttp.getEvaluation, {}, undefined, 'GET', `year=${next}`);
		expect(future.status).toBe(400);
		expect(future.body.message).toMatch(/has not begun/);
		for (const role of ['grid_worker', 'building_head']) {
			const res = await as(role, evaluationHttp.getEvaluation, {}, undefined, 'GET', 'year=2026');
			expect(res.status).toBe(403);
		}
	});

	it('the combined score follows the weights, parts without data dropping out', async () => {
		const res = await as('admin', evaluationHttp.getEvaluation, {}, undefined, 'GET', 'year=2026');
		const first = res.body.communities[0];
		expect(first.county_score).toBe(92.5);
		for (const r of res.body.communities) {
			const parts: [number | null, number][] = [
				[r.county_score, 40], [r.on_time_pct, 20], [r.rating_mean === null ? null : ((r.rating_mean - 1) / 4) * 100, 20], [r.three_ones_pct, 10], [r.projects_pct, 10]
			];
			const present = parts.filter(([v]) => v !== null) as [number, number][];
			const expected = present.length ? Math.round((10 * present.reduce((s, [v, w]) => s + v * w, 0)) / present.reduce((s, [, w]) => s + w, 0)) / 10 : null;
			expect(r.combined_score, r.code).toBe(expected);
		}
		expect(evaluation.combinedScore('community', { county_score: 80, on_time_pct: 100, rating_mean: 5, three_ones_pct: 50, projects_pct: null })).toBe(Math.round((10 * (80 * 40 + 100 * 20 + 100 * 20 + 50 * 10)) / 90) / 10);
		expect(evaluation.combinedScore('department', { county_score: null, on_time_pct: null, rating_mean: null, three_ones_pct: null, projects_pct: null, ack_pct: null })).toBeNull();
	});
});

describe('territory', () => {
	const codes = (rows: { code: string }[]) => rows.map((r) => r.code);
	it("a department account reads its liaison communities and its own department's row only", async () => {
		const res = await as('department', evaluationHttp.getEvaluation);
		expect(res.status).toBe(200);
		const liaisons = await t.db.knex('community_liaisons').join('communities', 'communities.id', 'community_liaisons.community_id').where({ department_id: dep.id }).orderBy('code').pluck('communities.code');
		expect(liaisons.length).toBeGreaterThan(0);
		expect(liaisons.length).toBeLessThan(13);
		expect(codes(res.body.communities)).toEqual(liaisons);
		expect(codes(res.body.departments)).toEqual([dep.code]);
		expect(res.body.departments[0].may_report).toBe(true);
		expect(res.body.departments[0].may_score).toBe(false);
	});

	it('a community admin reads their community and no department', async () => {
		const res = await as('community_admin', evaluationHttp.getEvaluation);
		expect(codes(res.body.communities)).toEqual([home.code]);
		expect(res.body.departments).toEqual([]);
		expect(res.body.communities[0].may_report).toBe(true);
	});

	it('the county-wide roles read all 13 communities; anonymous callers nothing', async () => {
		for (const role of ['admin', 'planner', 'housing']) {
			const res = await as(role, evaluationHttp.getEvaluation);
			expect(res.body.communities, role).toHaveLength(13);
			expect(res.body.communities.every((c: { may_report: boolean }) => c.may_report === (role === 'admin'))).toBe(true);
		}
		expect((await as(null, evaluationHttp.getEvaluation)).status).toBe(401);
		expect((await as(null, evaluationHttp.getExport)).status).toBe(401);
		expect((await as(null, evaluationHttp.putCommunity, { code: home.code }, { year: 2026, self_report: 'x' }, 'PUT')).status).toBe(401);
	});
});

describe('writes', () => {
	const state = async () => ({
		evaluations: await t.db.knex('evaluations').orderBy('id').select('year', 'community_id', 'department_id', 'self_report', 'county_score'),
		audit: Number((await t.db.knex('audit_log').count({ n: '*' }))[0].n)
	});

	it('a community admin writes their self-report: one row, one audit row, read back', async () => {
		const before = await state();
		const res = await as('community_admin', evaluationHttp.putCommunity, { code: home.code }, { year: 2026, self_report: '  全年办结群众诉求 120 件。 ' }, 'PUT');
		expect(res.status).toBe(200);
		const after = await state();
		expect(after.audit).toBe(before.audit + 1);
		expect(after.evaluations).toHaveLength(before.evaluations.length + 1);
		const audit = await t.db.knex('audit_log').orderBy('id', 'desc').first();
		expect(audit).toMatchObject({ actor: 'demo-community', action: 'evaluate_community', entity: `evaluation:community:${home.code}:2026` });
		const row = (await as('community_admin', evaluationHttp.getEvaluation)).body.communities[0];
		expect(row.self_report).toBe('全年办结群众诉求 120 件。');
		expect(row.updated_by).toBe('demo-community');
		// A second write updates the same row, keeping the score.
		await as('admin', evaluationHttp.putCommunity, { code: home.code }, { year: 2026, county_score: 77.5 }, 'PUT');
		await as('community_admin', evaluationHttp.putCommunity, { code: home.code }, { year: 2026, self_report: '修订' }, 'PUT');
		const again = (await as('admin', evaluationHttp.getEvaluation)).body.communities.find((c: { code: string }) => c.code === home.code);
		expect([again.self_report, again.county_score]).toEqual(['修订', 77.5]);
		expect((await state()).evaluations).toHaveLength(before.evaluations.length + 1);
		expect((await state()).audit).toBe(before.audit + 3);
	});

	it('a department account writes its own self-report; an admin scores it', async () => {
		const before = await state();
		expect((await as('department', evaluationHttp.putDepartment, { code: dep.code }, { year: 2026, self_report: '报到及时' }, 'PUT')).status).toBe(200);
		expect((await as('admin', evaluationHttp.putDepartment, { code: dep.code }, { year: 2026, county_score: 90 }, 'PUT')).status).toBe(200);
		const row = (await as('department', evaluationHttp.getEvaluation)).body.departments[0];
		expect([row.self_report, row.county_score]).toEqual(['报到及时', 90]);
		expect((await state()).audit).toBe(before.audit + 2);
	});

	it('refusals write nothing', async () => {
		const other = await t.db.knex('communities').whereNot({ id: home.id }).orderBy('code').first('code');
		const otherDep = await t.db.knex('departments').whereNot({ id: dep.id }).orderBy('code').first('code');
		const before = await state();
		const refused: [string, Handler, string, unknown, number][] = [
			['community_admin', evaluationHttp.putCommunity, other.code, { year: 2026, self_report: '越权' }, 403],
			['community_admin', evaluationHttp.putCommunity, home.code, { year: 2026, county_score: 100 }, 403],
			['planner', evaluationHttp.putCommunity, home.code, { year: 2026, self_report: '只读' }, 403],
			['planner', evaluationHttp.putDepartment, dep.code, { year: 2026, county_score: 50 }, 403],
			['grid_worker', evaluationHttp.putCommunity, home.code, { year: 2026, self_report: '网格员' }, 403],
			['department', evaluationHttp.putDepartment, otherDep.code, { year: 2026, self_report: '别的部门' }, 404],
			['department', evaluationHttp.putDepartment, dep.code, { year: 2026, county_score: 99 }, 403],
			['department', evaluationHttp.putCommunity, home.code, { year: 2026, self_report: '部门写社区' }, 403],
			['admin', evaluationHttp.putCommunity, 'X0000', { year: 2026, self_report: '无此社区' }, 404],
			['admin', evaluationHttp.putDepartment, 'X0000', { year: 2026, self_report: '无此部门' }, 404]
		];
		for (const [role, handler, code, body, status] of refused) {
			expect((await as(role, handler, { code }, body, 'PUT')).status, `${role} ${code} ${JSON.stringify(body)}`).toBe(status);
		}
		expect(await state()).toEqual(before);
	});

	it('bad input is a 400 naming the field, with nothing written', async () => {
		const before = await state();
		const bad: [unknown, string][] = [
			[{ self_report: 'x' }, 'year'],
			[{ year: 1999, self_report: 'x' }, 'year'],
			[{ year: '2026', self_report: 'x' }, 'year'],
			[{ year: 2026.5, self_report: 'x' }, 'year'],
			[{ year: 2026 }, 'self_report or county_score'],
			[{ year: 2026, self_report: 'x'.repeat(4001) }, 'self_report'],
			[{ year: 2026, self_report: 12 }, 'self_report'],
			[{ year: 2026, county_score: 100.5 }, 'county_score'],
			[{ year: 2026, county_score: -1 }, 'county_score'],
			[{ year: 2026, county_score: 88.25 }, 'county_score'],
			[{ year: 2026, county_score: '90' }, 'county_score'],
			['not json', 'body']
		];
		for (const [body, field] of bad) {
			const res = await as('admin', evaluationHttp.putCommunity, { code: home.code }, body, 'PUT');
			expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
			expect(res.body.message).toContain(field);
		}
		expect((await as('admin', evaluationHttp.getEvaluation, {}, undefined, 'GET', 'year=1999')).status).toBe(400);
		expect((await as('admin', evaluationHttp.getExport, {}, undefined, 'GET', 'format=pdf')).status).toBe(400);
		expect(await state()).toEqual(before);
	});
});
