/**
 * The county dashboard (issue 14, part 6) on a real PostGIS with the sample and records added
 * across two periods: every figure equals an independent SQL count over the tables for both
 * periods, for the admin and for a department account (its liaison communities only); the
 * records listed behind a figure are exactly the rows that SQL finds; China days bound the
 * period (a demand at 00:30 China time on the first day of the second period counts there);
 * a bad period is a 400 naming it; anonymous callers get a 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { callHandler } from '../helpers/call.js';
import * as dashboard from '../../src/lib/server/governance/dashboard.js';
import * as dashboardHttp from '../../src/lib/server/http/dashboard.js';
import * as dualReporting from '../../src/lib/server/governance/dual-reporting.js';
import * as dualReportingHttp from '../../src/lib/server/http/dual-reporting.js';
import { forgetTerritories } from '../../src/lib/server/ownership/territory.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';
import { DASHBOARD_FIGURES, type DashboardFigure } from '../../src/lib/domain/dashboard.js';

let t: TestDatabase;
const users: Record<string, User> = {};
const PERIODS = [
	{ from: '2026-01-01', to: '2026-06-30' },
	{ from: '2026-07-01', to: '2026-11-30' }
];

/** Records in both periods beyond the sample's: meetings with matters and agreements, demands on a period's edge, projects, claims. */
async function addRecords(knex: TestDatabase['db']['knex']): Promise<void> {
	const communities: { id: number; code: string; lng: number; lat: number }[] = (
		await knex.raw(`SELECT c.id, c.code, ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat FROM communities c ORDER BY c.code`)
	).rows;
	for (const [i, c] of communities.entries()) {
		const day = i % 2 === 0 ? '2026-03-1' + (i % 10) : '2026-09-0' + ((i % 9) + 1);
		const [m] = await knex('first_secretary_activities').insert({ kind: 'meeting', community_id: c.id, held_on: day, place: `会议室${i}` }).returning('id');
		for (let n = 1; n <= (i % 3) + 1; n++) await knex('meeting_matters').insert({ activity_id: m.id, kind: 'raised', n, text: `问题${i}-${n}` });
		if (i % 2 === 1) await knex('meeting_matters').insert({ activity_id: m.id, kind: 'resolved', n: 1, text: `现场解决${i}` });
		if (i % 3 === 0) await knex('meeting_agreements').insert({ activity_id: m.id, n: 1, text: `协议${i}`, parties: ['社区', '单位'] });
		// the first moments of 1 July in China are still 30 June in UTC
		const at = i % 2 === 0 ? '2026-06-30T16:30:00Z' : '2026-06-30T15:30:00Z';
		await knex.raw(
			`INSERT INTO demands (community_id, category, title, geom, created_at) VALUES (:id, 'health', :title, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326), :at)`,
			{ id: c.id, title: `需求${i}`, lng: Number(c.lng), lat: Number(c.lat), at }
		);
		const kinds = [
			{ status: 'done', progress_pct: 100, started_on: '2026-02-01', done_on: '2026-05-01' },
			{ status: 'in_progress', progress_pct: 30, started_on: '2026-08-01', done_on: null },
			{ status: 'planned', progress_pct: 0, started_on: '2026-08-01', done_on: null },
			{ status: 'done', progress_pct: 100, started_on: '2026-06-01', done_on: '2026-07-15' }
		];
		await knex('service_projects').insert({ community_id: c.id, category: 'health', title: `项目${i}`, created_by: 'test', ...kinds[i % kinds.length] });
		const [member] = await knex('party_members').insert({ name: `党员${i}`, unit_name: '县某单位', community_id: c.id, created_by: 'test' }).returning('id');
		const [item] = await knex('service_items').insert({ community_id: c.id, category: 'volunteering', title: `服务${i}`, slots: 2, posted_by: 'test' }).returning('id');
		await knex('service_claims').insert({
			item_id: item.id, member_id: member.id, done_on: i % 2 === 0 ? '2026-04-02' : '2026-10-02', hours: 2, people_served: i + 1, recorded_by: 'test'
		});
	}
}

/** The rows each figure counts, found here from the tables alone; `communities` narrows them (a department's). */
async function independent(figure: DashboardFigure, p: { from: string; to: string }, communities: number[] | null, dep = -1): Promise<{ keys: string[]; value: number }> {
	const knex = t.db.knex;
	const inAreas = (col: string) => (communities === null ? 'true' : `${col} = ANY(:communities)`);
	const b = { from: p.from, to: p.to, communities: communities ?? [], dep };
	const meetings = `SELECT a.id FROM first_secretary_activities a WHERE a.kind = 'meeting' AND a.held_on BETWEEN :from AND :to AND ${inAreas('a.community_id')}`;
	const sql: Record<DashboardFigure, string> = {
		opinions: `SELECT 'matter:' || id AS key, 1 AS w FROM meeting_matters WHERE kind = 'raised' AND activity_id IN (${meetings})
			UNION ALL SELECT 'demand:' || id, 1 FROM demands d WHERE (d.created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN :from AND :to AND ${inAreas('d.community_id')}`,
		solved_on_site: `SELECT 'matter:' || id AS key, 1 AS w FROM meeting_matters WHERE kind = 'resolved' AND activity_id IN (${meetings})`,
		meetings: `SELECT 'meeting:' || id AS key, 1 AS w FROM (${meetings}) m`,
		matters: `SELECT 'matter:' || id AS key, 1 AS w FROM meeting_matters WHERE activity_id IN (${meetings})`,
		projects: `SELECT 'project:' || id AS key, 1 AS w FROM service_projects p WHERE p.status IN ('in_progress', 'done')
			AND COALESCE(p.started_on, (p.created_at AT TIME ZONE 'Asia/Shanghai')::date) <= :to AND (p.done_on IS NULL OR p.done_on >= :from) AND ${inAreas('p.community_id')}`,
		agreements: `SELECT 'agreement:' || id AS key, 1 AS w FROM meeting_agreements WHERE activity_id IN (${meetings})`,
		people_served: `SELECT 'claim:' || k.id AS key, COALESCE(k.people_served, 0) AS w FROM service_claims k JOIN service_items i ON i.id = k.item_id
			JOIN party_members pm ON pm.id = k.member_id
			WHERE k.done_on BETWEEN :from AND :to AND (${inAreas('i.community_id')} OR pm.department_id = :dep)`
	};
	const { rows } = await knex.raw(sql[figure], b);
	return { keys: (rows as { key: string }[]).map((r) => r.key).sort(), value: rows.reduce((s: number, r: { w: number }) => s + Number(r.w), 0) };
}

beforeAll(async () => {
	t = await createTestDatabase('sample');
	forgetTerritories();
	await addRecords(t.db.knex);
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) users[r.role] = r;
	// the demo department's member who lives, and serves, in a community it does not liaise with
	const away = await t.db.knex('communities').whereNotIn('id', t.db.knex('community_liaisons').where({ department_id: users.department.department_id }).select('community_id')).orderBy('code').first('id');
	const [member] = await t.db.knex('party_members').insert({ name: '外社区党员', department_id: users.department.department_id, community_id: away.id, created_by: 'test' }).returning('id');
	const [item] = await t.db.knex('service_items').insert({ community_id: away.id, category: 'health', title: '外社区服务', posted_by: 'test' }).returning('id');
	await t.db.knex('service_claims').insert({ item_id: item.id, member_id: member.id, done_on: '2026-08-08', hours: 3, people_served: 40, recorded_by: 'test' });
}, 120_000);
afterAll(async () => {
	await t?.drop();
});

const query = (p: { from: string; to: string }, more: Record<string, string> = {}) => new URLSearchParams({ ...p, ...more }).toString();

describe('dashboard figures', () => {
	for (const [n, p] of PERIODS.entries()) {
		it(`every figure equals an independent SQL count for period ${n + 1} (${p.from} – ${p.to}), and its records are exactly those rows`, async () => {
			const reply = await callHandler(t.db, users.admin, dashboardHttp.getDashboard, { query: query(p) });
			expect(reply.status).toBe(200);
			for (const figure of DASHBOARD_FIGURES) {
				const want = await independent(figure, p, null);
				const got = reply.body.figures.find((f: { figure: string }) => f.figure === figure);
				expect({ figure, value: got.value }).toEqual({ figure, value: want.value });
				expect(Object.values(got.by_month as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(want.value);
				expect(Object.values(got.by_community as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(want.value);
				const listed = await callHandler(t.db, users.admin, dashboardHttp.getRecords, { query: query(p, { figure }) });
				expect(listed.status).toBe(200);
				expect({ figure, keys: listed.body.records.map((r: { key: string }) => r.key).sort() }).toEqual({ figure, keys: want.keys });
				expect(listed.body.value).toBe(want.value);
			}
			// the two periods differ, so the test could tell a figure that ignored the period
			expect(reply.body.figures.every((f: { value: number }) => f.value > 0)).toBe(true);
		});
	}

	it('the two periods count different records', async () => {
		const [a, b] = await Promise.all(PERIODS.map((p) => callHandler(t.db, users.admin, dashboardHttp.getDashboard, { query: query(p) })));
		const values = (r: { body: { figures: { value: number }[] } }) => r.body.figures.map((f) => f.value);
		expect(values(a)).not.toEqual(values(b));
	});

	it('a demand made at 00:30 on 1 July, China time, counts in the second period', async () => {
		const [first, second] = await Promise.all(
			PERIODS.map((p) => callHandler(t.db, users.admin, dashboardHttp.getRecords, { query: query(p, { figure: 'opinions' }) }))
		);
		const early = await t.db.knex('demands').where('created_at', '2026-06-30T16:30:00Z').select('id');
		expect(early.length).toBeGreaterThan(0);
		for (const d of early) {
			expect(second.body.records.map((r: { key: string }) => r.key)).toContain(`demand:${d.id}`);
			expect(first.body.records.map((r: { key: string }) => r.key)).not.toContain(`demand:${d.id}`);
		}
	});

	it("a department account's figures count its liaison communities' records only", async () => {
		const dep = users.department.department_id!;
		const communities = (await t.db.knex('community_liaisons').where({ department_id: dep }).pluck('community_id')).map(Number);
		expect(communities.length).toBeGreaterThan(0);
		for (const p of PERIODS) {
			const reply = await callHandler(t.db, users.department, dashboardHttp.getDashboard, { query: query(p) });
			for (const figure of DASHBOARD_FIGURES) {
				const want = await independent(figure, p, communities, dep);
				expect({ figure, value: reply.body.figures.find((f: { figure: string }) => f.figure === figure).value }).toEqual({ figure, value: want.value });
				const listed = await callHandler(t.db, users.department, dashboardHttp.getRecords, { query: query(p, { figure }) });
				expect(listed.body.records.map((r: { key: string }) => r.key).sort()).toEqual(want.keys);
			}
			const codes = (await t.db.knex('communities').whereIn('id', communities).pluck('code')).sort();
			expect(reply.body.communities.map((c: { code: string }) => c.code).sort()).toEqual(codes);
		}
	});

	it('people served equals the 双报到 total for the same period and caller, a department account included', async () => {
		for (const role of ['admin', 'department', 'community_admin']) {
			for (const p of PERIODS) {
				const figures = await callHandler(t.db, users[role], dashboardHttp.getDashboard, { query: query(p) });
				const dual = await callHandler(t.db, users[role], dualReportingHttp.getSummary, { query: query(p) });
				expect(dual.status).toBe(200);
				expect({ role, p, served: figures.body.figures.find((f: { figure: string }) => f.figure === 'people_served').value }).toEqual({ role, p, served: dual.body.totals.people_served });
			}
		}
	});

	it('lists one community\'s records when asked', async () => {
		const p = PERIODS[0];
		const all = await callHandler(t.db, users.admin, dashboardHttp.getRecords, { query: query(p, { figure: 'matters' }) });
		const code = all.body.records[0].community_code;
		const one = await callHandler(t.db, users.admin, dashboardHttp.getRecords, { query: query(p, { figure: 'matters', community: code }) });
		expect(one.body.records.length).toBeGreaterThan(0);
		expect(one.body.records.every((r: { community_code: string }) => r.community_code === code)).toBe(true);
		expect(one.body.total).toBe(all.body.records.filter((r: { community_code: string }) => r.community_code === code).length);
	});

	it('refuses a bad period or figure with a 400 naming it, and anonymous callers with a 401', async () => {
		const cases: [string, RegExp][] = [
			['from=2026-07-01&to=2026-06-30', /from 2026-07-01 is after to 2026-06-30/],
			['from=2026-02-30', /from/],
			['from=2000-01-01&to=2026-01-01', /spans more than/],
			['to=yesterday', /to/]
		];
		for (const [q, message] of cases) {
			const r = await callHandler(t.db, users.admin, dashboardHttp.getDashboard, { query: q });
			expect(r.status).toBe(400);
			expect(r.body.message).toMatch(message);
		}
		const noFigure = await callHandler(t.db, users.admin, dashboardHttp.getRecords, { query: 'from=2026-01-01' });
		expect(noFigure.status).toBe(400);
		expect(noFigure.body.message).toMatch(/figure/);
		const badFigure = await callHandler(t.db, users.admin, dashboardHttp.getRecords, { query: 'figure=everything' });
		expect(badFigure.status).toBe(400);
		expect(badFigure.body.message).toMatch(/figure/);
		expect((await callHandler(t.db, null, dashboardHttp.getDashboard)).status).toBe(401);
		expect((await callHandler(t.db, null, dashboardHttp.getRecords, { query: 'figure=meetings' })).status).toBe(401);
	});
});
