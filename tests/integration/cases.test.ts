/**
 * The case loop on a real PostGIS: every transition by every role against the table as it
 * was agreed (written out here, so a change to the data shows as a failing test), If-Match
 * under concurrency, creation under concurrency, deadlines on the work calendar, and bad
 * reports refused with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import * as cases from '../../src/lib/server/cases/cases.js';
import { scopeFor, forgetTerritories } from '../../src/lib/server/ownership/territory.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';
import { ISSUE_STATUSES, type IssueStatus } from '../../src/lib/domain/glossary.js';
import { isApiError } from '../../src/lib/server/platform/errors.js';

let t: TestDatabase;
const users: Record<string, User> = {};
/** A point inside demo-grid's grid, so inside every demo territory but the building head's. */
let point: { lng: number; lat: number };
let demoDepartment: { id: number; code: string };

beforeAll(async () => {
	t = await createTestDatabase('sample');
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) users[r.role] = r;
	const { rows: p } = await t.db.knex.raw(
		`SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g
		 WHERE g.id = (SELECT a.grid_id FROM assignments a WHERE a.person_id = :person AND a.role = 'grid_worker' AND a.valid_to IS NULL LIMIT 1)`,
		{ person: users.grid_worker.person_id }
	);
	point = { lng: Number(p[0].lng), lat: Number(p[0].lat) };
	demoDepartment = await t.db.knex('departments').where({ id: users.department.department_id }).first('id', 'code');
});
afterAll(async () => {
	await t?.drop();
});

function report(over: Partial<cases.ReportInput> = {}): cases.ReportInput {
	return {
		category: 'environment',
		matter_type: 'practical',
		urgency: 'general',
		title: '垃圾堆放',
		description: '楼下垃圾三天未清运',
		...point,
		photos: [],
		resolved_on_site: false,
		source: 'patrol',
		...over
	};
}

async function asUser(role: string) {
	const user = users[role];
	return { user, scope: await scopeFor(t.db.knex, user) };
}

async function statusOf(code: string) {
	return t.db.knex('issues').where({ code }).first('status', 'version');
}

/**
 * The transition table as agreed in issue 10 and DESIGN §4: from>to by role. `resident` is the
 * reporter's link (issue 21), which no signed-in role matches: for them it is a 403.
 */
const AGREED = new Set(
	`reported>registered:community_admin reported>registered:admin reported>rejected:community_admin reported>rejected:admin
	reported>resolved:grid_worker reported>resolved:community_admin
	registered>dispatched:community_admin registered>dispatched:admin registered>escalated:community_admin registered>escalated:admin
	registered>rejected:community_admin registered>rejected:admin
	dispatched>in_progress:grid_worker dispatched>in_progress:department dispatched>in_progress:community_admin
	dispatched>escalated:community_admin dispatched>escalated:admin escalated>in_progress:department
	returned>in_progress:grid_worker returned>in_progress:department returned>in_progress:community_admin
	in_progress>resolved:grid_worker in_progress>resolved:department in_progress>resolved:community_admin
	in_progress>escalated:community_admin in_progress>escalated:admin in_progress>backlog:community_admin in_progress>backlog:admin
	backlog>in_progress:community_admin backlog>in_progress:admin
	resolved>verified:community_admin resolved>verified:admin resolved>returned:community_admin resolved>returned:admin
	verified>closed:community_admin verified>closed:admin
	reopened>in_progress:grid_worker reopened>in_progress:department reopened>in_progress:community_admin
	resolved>reopened:resident`
		.split(/\s+/)
		.filter(Boolean)
);
const ROLES = ['admin', 'planner', 'housing', 'department', 'community_admin', 'grid_worker', 'building_head'];

describe('transitions', () => {
	it('allows exactly the agreed transitions, by role, and refuses every other with 409 or 403, changing nothing', async () => {
		const admin = await asUser('admin');
		const anyone = new Set([...AGREED].map((k) => k.split(':')[0]));
		const outcomes: string[] = [];
		// Each role on a case of its own, the roles side by side: while one waits on PostGIS the
		// next computes. Within a role, one transition after another on its case, as before.
		await Promise.all(ROLES.map(async (role) => {
			const created = await cases.create(t.db.knex, { user: admin.user, name: 'admin' }, admin.scope, report());
			const { id } = await t.db.knex('issues').where({ code: created.code }).first('id');
			const { user, scope } = await asUser(role);
			// The case as this role would find it at their desk: handled by them, reported by them.
			const handler =
				role === 'department'
					? { handler_kind: 'department', handler_department_id: demoDepartment.id }
					: role === 'community_admin'
						? { handler_kind: 'community' }
						: { handler_kind: 'grid_worker' };
			for (const from of ISSUE_STATUSES) {
				for (const to of ISSUE_STATUSES) {
					if (from === to) continue;
					await t.db.knex('case_escalations').where({ issue_id: id }).del();
					if (from === 'escalated' || role === 'department') {
						await t.db.knex('case_escalations').insert({ issue_id: id, department_id: demoDepartment.id, escalated_at: new Date(), ack_due_at: new Date(Date.now() + 3600e3) });
					}
					await t.db.knex('issues').where({ id }).update({ status: from, version: 1, resolved_by: null, reported_by: user.id, ...handler });
					const events = Number((await t.db.knex('issue_events').where({ issue_id: id }).count({ n: '*' }))[0].n);
					let outcome: number;
					try {
						await cases.transition(t.db.knex, user, scope, created.code, 1, {
							to,
							note: '测试',
							photos: [],
							departments: [demoDepartment.code],
							backlog_reason: '资金未落实',
							backlog_review_on: '2099-01-01'
						});
						outcome = 200;
					} catch (error) {
						if (!isApiError(error)) throw error;
						outcome = error.status;
						if (outcome === 409 || outcome === 403) expect(error.message).toMatch(/allowed to you: /);
					}
					const key = `${from}>${to}:${role}`;
					const expected = AGREED.has(key) ? 200 : anyone.has(`${from}>${to}`) ? 403 : 409;
					if (outcome !== expected) outcomes.push(`${key} gave ${outcome}, expected ${expected}`);
					const after = await statusOf(created.code);
					const eventsAfter = Number((await t.db.knex('issue_events').where({ issue_id: id }).count({ n: '*' }))[0].n);
					if (outcome === 200) {
						expect([after.status, after.version, eventsAfter]).toEqual([to, 2, events + 1]);
					} else {
						expect([after.status, after.version, eventsAfter], key).toEqual([from, 1, events]);
					}
				}
			}
		}));
		expect(outcomes.sort()).toEqual([]);
	});

	it('keeps verification with someone other than the resolver', async () => {
		const { user, scope } = await asUser('community_admin');
		const created = await cases.create(t.db.knex, { user, name: user.username }, scope, report({ category: 'parking' }));
		await t.db.knex('issues').where({ code: created.code }).update({ status: 'resolved', resolved_by: user.id });
		await expect(cases.transition(t.db.knex, user, scope, created.code, 1, { to: 'verified', photos: [], departments: [] })).rejects.toMatchObject({
			status: 403,
			message: expect.stringContaining('allowed to you: none')
		});
		const admin = await asUser('admin');
		await cases.transition(t.db.knex, admin.user, admin.scope, created.code, 1, { to: 'verified', photos: [], departments: [] });
		expect((await statusOf(created.code)).status).toBe('verified');
	});

	it('gives one of 20 concurrent updates with the same version the change, and 19 a 412; the version rises by one', async () => {
		const { user, scope } = await asUser('community_admin');
		const created = await cases.create(t.db.knex, { user, name: user.username }, scope, report());
		const results = await Promise.allSettled(
			Array.from({ length: 20 }, () => cases.transition(t.db.knex, user, scope, created.code, created.version, { to: 'registered', photos: [], departments: [] }))
		);
		const statuses = results.map((r) => (r.status === 'fulfilled' ? 200 : (r.reason as { status: number }).status));
		expect(statuses.filter((s) => s === 200)).toHaveLength(1);
		expect(statuses.filter((s) => s === 412)).toHaveLength(19);
		expect(await statusOf(created.code)).toEqual({ status: 'registered', version: created.version + 1 });
		const events = await t.db.knex('issue_events').join('issues', 'issues.id', 'issue_events.issue_id').where('issues.code', created.code).select('to_status');
		expect(events.map((e) => e.to_status)).toEqual(['reported', 'registered']);
	});
});

describe('reporting', () => {
	it('creates 200 cases from 200 concurrent reports, each with one creation event and its own code', async () => {
		const { user, scope } = await asUser('grid_worker');
		const before = await tableCounts(t.db);
		const created = await Promise.all(Array.from({ length: 200 }, (_, i) => cases.create(t.db.knex, { user, name: user.username }, scope, report({ title: `并发 ${i}` }))));
		expect(new Set(created.map((c) => c.code)).size).toBe(200);
		const after = await tableCounts(t.db);
		expect(after.issues - before.issues).toBe(200);
		const { rows } = await t.db.knex.raw(`SELECT count(*)::int AS n FROM issue_events e JOIN issues i ON i.id = e.issue_id WHERE e.kind = 'created' AND i.title LIKE '并发 %'`);
		expect(rows[0].n).toBe(200);
	});

	it('freezes the owner chain and dispatches by the category rule: environment to the grid worker, a department category to its department', async () => {
		const { user, scope } = await asUser('grid_worker');
		const env = await cases.create(t.db.knex, { user, name: user.username }, scope, report());
		const drainage = await cases.create(t.db.knex, { user, name: user.username }, scope, report({ category: 'drainage' }));
		const { rows } = await t.db.knex.raw(
			`SELECT i.code, i.handler_kind, g.code AS grid, d.name AS department, i.owner_chain->'grid'->>'code' AS owner_grid
			 FROM issues i LEFT JOIN grids g ON g.id = i.handler_grid_id LEFT JOIN departments d ON d.id = i.handler_department_id
			 WHERE i.code IN (:a, :b) ORDER BY i.code`,
			{ a: env.code, b: drainage.code }
		);
		const { rows: grid } = await t.db.knex.raw(`SELECT code FROM covering_grid(ST_SetSRID(ST_MakePoint(:lng, :lat), 4326))`, point);
		expect(rows).toEqual([
			{ code: env.code, handler_kind: 'grid_worker', grid: grid[0].code, department: null, owner_grid: grid[0].code },
			{ code: drainage.code, handler_kind: 'department', grid: grid[0].code, department: '县水务局', owner_grid: grid[0].code }
		]);
		// The grid worker's list to handle shows the environment case once dispatched.
		const community = await asUser('community_admin');
		await cases.transition(t.db.knex, community.user, community.scope, env.code, 1, { to: 'registered', photos: [], departments: [] });
		await cases.transition(t.db.knex, community.user, community.scope, env.code, 2, { to: 'dispatched', photos: [], departments: [] });
		const list = await cases.workList(t.db.knex, user, scope, 'handle');
		expect(list.items.map((i) => i.code)).toContain(env.code);
	});

	it('refuses an unknown category, a point outside the county or the territory, and writes nothing', async () => {
		const { user, scope } = await asUser('grid_worker');
		const before = await tableCounts(t.db);
		const actor = { user, name: user.username };
		await expect(cases.create(t.db.knex, actor, scope, report({ category: 'ufo' }))).rejects.toMatchObject({ status: 400, message: expect.stringContaining("category 'ufo' is unknown") });
		await expect(cases.create(t.db.knex, actor, scope, report({ lng: 116.4, lat: 39.9 }))).rejects.toMatchObject({ status: 400, message: expect.stringContaining('outside Hejiang County') });
		const { rows } = await t.db.knex.raw(`SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids WHERE NOT ST_Covers(geom, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)) ORDER BY code DESC LIMIT 1`, point);
		await expect(cases.create(t.db.knex, actor, scope, report({ lng: Number(rows[0].lng), lat: Number(rows[0].lat) }))).rejects.toMatchObject({ status: 403, message: expect.stringContaining('outside your territory') });
		expect(await tableCounts(t.db)).toEqual(before);
	});
});

describe('deadlines and escalation', () => {
	it('sets the deadline in working hours across 国庆 and a make-up working day', async () => {
		const { user, scope } = await asUser('community_admin');
		// 2026-09-30 16:00 China time, 实事 紧急 = 16 working hours: 2 h that day, Oct 1–7 off,
		// 8 h on Thursday Oct 8, the last 6 h on Friday Oct 9 (08:30–12:00, 13:30–16:00).
		const created = await cases.create(t.db.knex, { user, name: user.username }, scope, report({ urgency: 'urgent', reported_at: new Date('2026-09-30T16:00:00+08:00') }));
		expect(created.due_at).toBe(new Date('2026-10-09T16:00:00+08:00').toISOString());
		// Graded 急事 一般 (24 h) on registration: Oct 8 and 9 give 16 h, Sat Oct 10 is a make-up working day.
		await cases.transition(t.db.knex, user, scope, created.code, 1, { to: 'registered', matter_type: 'urgent', urgency: 'general', photos: [], departments: [] });
		const { due_at } = await t.db.knex('issues').where({ code: created.code }).first('due_at');
		expect(new Date(due_at).toISOString()).toBe(new Date('2026-10-10T16:00:00+08:00').toISOString());
	});

	it('escalates to departments, each acknowledging within its own limit; the first takes the case up; lateness shows', async () => {
		const community = await asUser('community_admin');
		const department = await asUser('department');
		const created = await cases.create(t.db.knex, { user: community.user, name: 'c' }, community.scope, report({ category: 'parking' }));
		await cases.transition(t.db.knex, community.user, community.scope, created.code, 1, { to: 'registered', photos: [], departments: [] });
		const other = await t.db.knex('departments').whereNot({ id: demoDepartment.id }).orderBy('code').first('id', 'code');
		await t.db.knex('departments').where({ id: other.id }).update({ ack_limit_hours: 2 });
		await cases.transition(t.db.knex, community.user, community.scope, created.code, 2, { to: 'escalated', departments: [demoDepartment.code, other.code], photos: [], note: '吹哨' });
		// The department sees it in its list to acknowledge, though it lies outside its liaison communities or not.
		const waiting = await cases.workList(t.db.knex, department.user, department.scope, 'acknowledge');
		expect(waiting.items.map((i) => i.code)).toContain(created.code);
		// Pretend the other department's limit ran out an hour ago.
		await t.db.knex('case_escalations').where({ department_id: other.id }).update({ ack_due_at: new Date(Date.now() - 3600e3) });
		await cases.acknowledge(t.db.knex, department.user, department.scope, created.code, 3);
		const record = (await cases.read(t.db.knex, department.user, department.scope, created.code))!;
		expect(record.status).toBe('in_progress');
		expect(record.handler).toMatchObject({ kind: 'department', code: demoDepartment.code });
		const byCode = (a: [string, ...unknown[]], b: [string, ...unknown[]]) => a[0].localeCompare(b[0]);
		expect(record.escalations.map((e): [string, boolean, boolean] => [e.department.code, e.acknowledged_at !== null, e.late]).sort(byCode)).toEqual(
			([[demoDepartment.code, true, false], [other.code, false, true]] as [string, boolean, boolean][]).sort(byCode)
		);
		expect(record.allowed).toEqual(['resolved']);
		await cases.transition(t.db.knex, department.user, department.scope, created.code, 4, { to: 'resolved', photos: [], departments: [], note: '已增设车位' });
		await cases.transition(t.db.knex, community.user, community.scope, created.code, 5, { to: 'verified', photos: [], departments: [] });
		await cases.transition(t.db.knex, community.user, community.scope, created.code, 6, { to: 'closed', photos: [], departments: [] });
		await cases.rate(t.db.knex, community.user, community.scope, created.code, 5);
		const closed = (await cases.read(t.db.knex, community.user, community.scope, created.code))!;
		expect([closed.status, closed.rating, closed.rating_source]).toEqual(['closed', 5, 'call']);
		expect(closed.events.map((e) => `${e.kind}:${e.to}`)).toEqual([
			'created:reported',
			'transition:registered',
			'transition:escalated',
			'transition:in_progress',
			'transition:resolved',
			'transition:verified',
			'transition:closed',
			'rated:closed'
		]);
		forgetTerritories();
	});
});
