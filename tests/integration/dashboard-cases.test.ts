/**
 * The dashboard's case figures (issue 21) on a real PostGIS with the sample: for the county
 * and for a community admin's territory, reported, closed on time, overdue, per 五事分流 type and
 * the departments' 报到 equal independent SQL over the tables; a case reported at 00:30 China
 * time on 1 July counts in the second half-year, not the first; an escalation of a case outside
 * the territory stays out of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { caseFigures } from '../../src/lib/server/cases/dashboard-cases.js';
import { forgetTerritories, scopeFor } from '../../src/lib/server/ownership/territory.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';

let t: TestDatabase;
const users: Record<string, User> = {};
const H1 = { from: '2026-01-01', to: '2026-06-30' };
const H2 = { from: '2026-07-01', to: '2026-11-30' };
const TYPES = ['major', 'practical', 'important', 'urgent', 'difficult'];
let home: { id: number; lng: number; lat: number };
let away: { id: number; lng: number; lat: number };
/** the communities the community admin administers: their territory */
let mine: number[];

/** The figures from the tables alone; `communities` narrows the cases to those lying in them. */
async function independent(p: { from: string; to: string }, communities: number[] | null) {
	const bindings = { from: `${p.from}T00:00:00+08:00`, to: `${p.to}T23:59:59.999999+08:00`, communities: communities ?? [] };
	const where = `i.reported_at BETWEEN :from AND :to AND (${communities === null} OR EXISTS (SELECT 1 FROM communities c WHERE c.id = ANY(:communities) AND ST_Covers(c.geom, i.geom)))`;
	const { rows } = await t.db.knex.raw(
		`SELECT i.matter_type, count(*)::int AS reported,
			(count(*) FILTER (WHERE x.at IS NOT NULL AND (i.due_at IS NULL OR x.at <= i.due_at)))::int AS closed_on_time,
			(count(*) FILTER (WHERE x.at IS NOT NULL))::int AS closed,
			(count(*) FILTER (WHERE i.due_at < now() AND i.status NOT IN ('resolved', 'verified', 'closed', 'rejected')))::int AS overdue
		 FROM issues i LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM issue_events e WHERE e.issue_id = i.id AND e.to_status = 'closed') x ON true
		 WHERE ${where} GROUP BY 1`,
		bindings
	);
	const sum = (k: string) => rows.reduce((a: number, r: Record<string, number>) => a + r[k], 0);
	const { rows: acks } = await t.db.knex.raw(
		`SELECT d.name, count(*)::int AS escalations FROM case_escalations ce JOIN departments d ON d.id = ce.department_id JOIN issues i ON i.id = ce.issue_id
		 WHERE ce.escalated_at BETWEEN :from AND :to AND (${communities === null} OR EXISTS (SELECT 1 FROM communities c WHERE c.id = ANY(:communities) AND ST_Covers(c.geom, i.geom)))
		 GROUP BY 1 ORDER BY 2 DESC, 1`,
		bindings
	);
	return {
		reported: sum('reported'),
		closed: sum('closed'),
		closed_on_time: sum('closed_on_time'),
		overdue: sum('overdue'),
		by_matter_type: Object.fromEntries(TYPES.map((m) => [m, rows.find((r: { matter_type: string }) => r.matter_type === m)?.reported ?? 0])),
		escalations: acks.map((a: { name: string; escalations: number }) => [a.name, a.escalations])
	};
}

/** A case at a point, reported at an instant. */
async function addCase(code: string, at: { lng: number; lat: number }, reportedAt: string, matterType: string): Promise<number> {
	const { rows } = await t.db.knex.raw(
		`INSERT INTO issues (code, title, category, matter_type, source, reported_at, geom) VALUES (:code, '测试案件', 'environment', :matterType, 'patrol', :reportedAt, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)) RETURNING id`,
		{ code, matterType, reportedAt, lng: at.lng, lat: at.lat }
	);
	return rows[0].id;
}

beforeAll(async () => {
	t = await createTestDatabase('sample');
	forgetTerritories();
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) users[r.role] = r;
	const point = `ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat`;
	home = (await t.db.knex.raw(
		`SELECT c.id, ${point} FROM communities c JOIN assignments a ON a.community_id = c.id WHERE a.person_id = :p AND a.role = 'community_secretary' AND a.valid_to IS NULL LIMIT 1`,
		{ p: users.community_admin.person_id }
	)).rows[0];
	mine = (await t.db.knex('assignments').where({ person_id: users.community_admin.person_id }).whereIn('role', ['community_secretary', 'first_secretary']).whereNull('valid_to').pluck('community_id')) as number[];
	away = (await t.db.knex.raw(`SELECT c.id, ${point} FROM communities c WHERE NOT c.id = ANY(:mine) ORDER BY c.code LIMIT 1`, { mine })).rows[0];
	// 00:30 on 1 July in China is 30 June in UTC: the second half-year's.
	await addCase('TEST-EDGE', home, '2026-06-30T16:30:00Z', 'urgent');
	// Escalations of the period: one in the community admin's community, one outside it.
	const inside = await addCase('TEST-IN', home, '2026-08-01T02:00:00Z', 'difficult');
	const outside = await addCase('TEST-OUT', away, '2026-08-01T02:00:00Z', 'difficult');
	const water = await t.db.knex('departments').where({ name: '县水务局' }).first('id');
	await t.db.knex('case_escalations').insert([
		{ issue_id: inside, department_id: water.id, escalated_at: '2026-08-02T02:00:00Z', ack_due_at: '2026-08-02T10:00:00Z', acknowledged_at: '2026-08-02T05:00:00Z' },
		{ issue_id: outside, department_id: water.id, escalated_at: '2026-08-02T02:00:00Z', ack_due_at: '2026-08-02T10:00:00Z', acknowledged_at: '2026-08-03T05:00:00Z' }
	]);
}, 120_000);
afterAll(async () => {
	await t?.drop();
});

describe('dashboard case figures', () => {
	for (const [n, p] of [H1, H2].entries()) {
		it(`equal independent SQL for the county and for a community, half-year ${n + 1}`, async () => {
			for (const [who, communities] of [['planner', null], ['community_admin', mine]] as const) {
				const scope = await scopeFor(t.db.knex, users[who]);
				const got = await caseFigures(t.db.knex, scope, p);
				const want = await independent(p, communities === null ? null : [...communities]);
				expect(want.reported, who).toBeGreaterThan(0);
				expect({ who, ...got, departments: got.departments.map((d) => [d.name, d.escalations]) }).toEqual({ who, ...want, departments: want.escalations, escalations: undefined });
			}
		});
	}

	it('counts a case of 00:30 on 1 July, China time, in the second half-year', async () => {
		const scope = await scopeFor(t.db.knex, users.planner);
		const [first, second] = await Promise.all([H1, H2].map((p) => caseFigures(t.db.knex, scope, p)));
		const without = await independent(H2, null);
		expect(second.by_matter_type.urgent).toBe(without.by_matter_type.urgent);
		await t.db.knex('issues').where({ code: 'TEST-EDGE' }).update({ reported_at: '2026-06-30T15:30:00Z' });
		const [firstAfter, secondAfter] = await Promise.all([H1, H2].map((p) => caseFigures(t.db.knex, scope, p)));
		expect(firstAfter.by_matter_type.urgent).toBe(first.by_matter_type.urgent + 1);
		expect(secondAfter.by_matter_type.urgent).toBe(second.by_matter_type.urgent - 1);
		await t.db.knex('issues').where({ code: 'TEST-EDGE' }).update({ reported_at: '2026-06-30T16:30:00Z' });
	});

	it('reads a department’s 报到 on time and late within the territory only', async () => {
		const county = await caseFigures(t.db.knex, await scopeFor(t.db.knex, users.planner), H2);
		expect(county.departments).toEqual([{ code: expect.any(String), name: '县水务局', escalations: 2, on_time: 1, late: 1, waiting: 0 }]);
		const community = await caseFigures(t.db.knex, await scopeFor(t.db.knex, users.community_admin), H2);
		expect(community.departments).toEqual([{ code: expect.any(String), name: '县水务局', escalations: 1, on_time: 1, late: 0, waiting: 0 }]);
	});
});
