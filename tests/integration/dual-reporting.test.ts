/**
 * 双报到 on a real PostGIS (issue 14, part 4): the figures per member, per building and per
 * department equal an independent computation (correlated subqueries over the tables, the
 * territory from liaisons and assignments rather than geometry); the unclaimed demands equal
 * an independent query; a grid worker and a department account see their own only; a claim
 * beyond an item's slots and a claim by a member who left are 409s; refusals and bad input
 * write nothing (rows and audit_log counted before and after); every write leaves one audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHandler } from '../helpers/call.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as dual from '../../src/lib/server/governance/dual-reporting.js';
import * as dualHttp from '../../src/lib/server/http/dual-reporting.js';
import * as lists from '../../src/lib/server/governance/service-lists.js';
import * as listsHttp from '../../src/lib/server/http/service-lists.js';
import type { Handler } from '../../src/lib/server/http/endpoint.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';
import { chinaDay } from '../../src/lib/domain/work-calendar.js';
import type { MemberFigures } from '../../src/lib/domain/dual-reporting.js';

let t: TestDatabase;
const users: Record<string, User> = {};

beforeAll(async () => {
	t = await createTestDatabase('sample');
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) users[r.role] = r;
});
afterAll(async () => {
	await t?.drop();
});

async function as(role: string, handler: Handler, params: Record<string, string> = {}, body?: unknown, method = 'GET', query = '') {
	return callHandler(t.db, users[role] ?? null, handler, { params, body, method, query });
}
const sql = async (text: string, bindings: Record<string, unknown> = {}) => (await t.db.knex.raw(text, bindings)).rows;
const counts = async () => {
	const out: Record<string, number> = {};
	for (const table of ['party_members', 'service_items', 'service_claims', 'demands', 'audit_log']) out[table] = Number((await t.db.knex(table).count({ n: '*' }))[0].n);
	return out;
};

/** Which members and claims a role may read, independently of the app: community ids of the territory, and the own department. */
async function reach(role: string): Promise<{ communities: number[] | null; own: number }> {
	const u = users[role];
	if (role === 'admin') return { communities: null, own: -1 };
	if (role === 'department') return { communities: (await sql('SELECT community_id AS id FROM community_liaisons WHERE department_id = :d', { d: u.department_id })).map((r: { id: number }) => r.id), own: u.department_id! };
	if (role === 'grid_worker')
		return { communities: (await sql(`SELECT DISTINCT g.community_id AS id FROM grids g JOIN assignments a ON a.grid_id = g.id WHERE a.person_id = :p AND a.role = 'grid_worker' AND a.valid_to IS NULL`, { p: u.person_id })).map((r: { id: number }) => r.id), own: -1 };
	return { communities: (await sql(`SELECT a.community_id AS id FROM assignments a WHERE a.person_id = :p AND a.role IN ('community_secretary', 'first_secretary') AND a.valid_to IS NULL`, { p: u.person_id })).map((r: { id: number }) => r.id), own: -1 };
}

/** The figures per member, computed with correlated subqueries. */
async function expectedMembers(role: string, from: string | null = null, to: string | null = null) {
	const { communities, own } = await reach(role);
	const inReach = (col: string) => (communities === null ? 'true' : `(${col} = ANY(:communities))`);
	const claimOk = `(${inReach('i.community_id')} OR pm.department_id = :own)`;
	const done = `sc.done_on IS NOT NULL AND (CAST(:from AS date) IS NULL OR sc.done_on >= CAST(:from AS date)) AND (CAST(:to AS date) IS NULL OR sc.done_on <= CAST(:to AS date))`;
	// claimed in the period: the claim's China calendar day (Asia/Shanghai) within from..to
	const claimedIn = `(CAST(:from AS date) IS NULL OR CAST(sc.claimed_at AT TIME ZONE 'Asia/Shanghai' AS date) >= CAST(:from AS date)) AND (CAST(:to AS date) IS NULL OR CAST(sc.claimed_at AT TIME ZONE 'Asia/Shanghai' AS date) <= CAST(:to AS date))`;
	const rows = await sql(
		`SELECT m.id,
			(SELECT count(*) FROM service_claims sc JOIN service_items i ON i.id = sc.item_id JOIN party_members pm ON pm.id = sc.member_id WHERE sc.member_id = m.id AND ${claimOk} AND ${claimedIn})::int AS items_claimed,
			(SELECT count(*) FROM service_claims sc JOIN service_items i ON i.id = sc.item_id JOIN party_members pm ON pm.id = sc.member_id WHERE sc.member_id = m.id AND ${claimOk} AND ${done})::int AS items_done,
			(SELECT COALESCE(sum(sc.hours), 0) FROM service_claims sc JOIN service_items i ON i.id = sc.item_id JOIN party_members pm ON pm.id = sc.member_id WHERE sc.member_id = m.id AND ${claimOk} AND ${done})::float8 AS hours,
			(SELECT COALESCE(sum(sc.people_served), 0) FROM service_claims sc JOIN service_items i ON i.id = sc.item_id JOIN party_members pm ON pm.id = sc.member_id WHERE sc.member_id = m.id AND ${claimOk} AND ${done})::int AS people_served,
			m.building_id, m.department_id, m.unit_name, m.left_on IS NULL AS active
		 FROM party_members m WHERE ${inReach('m.community_id')} OR m.department_id = :own ORDER BY m.id`,
		{ communities: communities ?? [], own, from, to }
	);
	return rows as { id: number; items_claimed: number; items_done: number; hours: number; people_served: number; building_id: number | null; department_id: number | null; unit_name: string | null; active: boolean }[];
}

const byId = <T extends { id: number }>(rows: T[]) => [...rows].sort((a, b) => a.id - b.id);
const pick = (r: { id: number; items_claimed: number; items_done: number; hours: number; people_served: number }) => ({ id: r.id, items_claimed: r.items_claimed, items_done: r.items_done, hours: r.hours, people_served: r.people_served });

describe('the figures', () => {
	it('the sample holds members, items (one from a demand) and claims, some done with hours', async () => {
		const c = await counts();
		expect(c.party_members).toBeGreaterThan(20);
		expect(Number((await t.db.knex('service_items').whereNotNull('demand_id').count({ n: '*' }))[0].n)).toBe(2);
		expect(Number((await t.db.knex('service_claims').whereNotNull('done_on').count({ n: '*' }))[0].n)).toBeGreaterThan(3);
	});

	it.each([
		['admin', null, null],
		['department', null, null],
		['grid_worker', null, null],
		['community_admin', null, null],
		['admin', '2026-07-01', '2026-07-01'],
		['department', '2026-07-01', '2026-07-12'],
		['admin', '2026-07-02', '2026-07-31']
	] as [string, string | null, string | null][])('per member, building and department equal an independent computation for %s, period %s to %s', async (role, from, to) => {
		const expected = await expectedMembers(role, from, to);
		const { status, body } = await as(role, dualHttp.getSummary, {}, undefined, 'GET', from ? `from=${from}&to=${to}` : '');
		expect(status).toBe(200);
		expect(byId(body.members as MemberFigures[]).map(pick)).toEqual(expected.map(pick));
		// per building: members now living there, items done and hours of those who live there
		const buildings = new Map<number, { members: number; items_done: number; hours: number }>();
		for (const m of expected.filter((m) => m.building_id !== null)) {
			const b = buildings.get(m.building_id!) ?? { members: 0, items_done: 0, hours: 0 };
			buildings.set(m.building_id!, { members: b.members + (m.active ? 1 : 0), items_done: b.items_done + m.items_done, hours: b.hours + m.hours });
		}
		expect(Object.fromEntries(body.buildings.map((b: { building_id: number; members: number; items_done: number; hours: number }) => [b.building_id, { members: b.members, items_done: b.items_done, hours: b.hours }]))).toEqual(Object.fromEntries(buildings));
		const departments = new Map<string, { members: number; items_claimed: number; items_done: number; hours: number }>();
		const codes = new Map((await sql('SELECT id, code FROM departments')).map((d: { id: number; code: string }) => [d.id, d.code]));
		for (const m of expected) {
			const key = m.department_id !== null ? `d:${codes.get(m.department_id)}` : `u:${m.unit_name}`;
			const d = departments.get(key) ?? { members: 0, items_claimed: 0, items_done: 0, hours: 0 };
			departments.set(key, { members: d.members + (m.active ? 1 : 0), items_claimed: d.items_claimed + m.items_claimed, items_done: d.items_done + m.items_done, hours: d.hours + m.hours });
		}
		expect(Object.fromEntries(body.departments.map((d: { department_code: string | null; unit_name: string | null; members: number; items_claimed: number; items_done: number; hours: number }) => [d.department_code ? `d:${d.department_code}` : `u:${d.unit_name}`, { members: d.members, items_claimed: d.items_claimed, items_done: d.items_done, hours: d.hours }]))).toEqual(Object.fromEntries(departments));
		expect(body.totals).toEqual({
			members: expected.filter((m) => m.active).length,
			items_claimed: expected.reduce((s, m) => s + m.items_claimed, 0),
			items_done: expected.reduce((s, m) => s + m.items_done, 0),
			hours: expected.reduce((s, m) => s + m.hours, 0),
			people_served: expected.reduce((s, m) => s + m.people_served, 0)
		});
	});

	it('the sample gives the admin known totals: done hours 2.5/3.5/4.5 in turn over every other community, plus 3 on a demand', async () => {
		const { body } = await as('admin', dualHttp.getSummary);
		const communities = Number((await t.db.knex('communities').count({ n: '*' }))[0].n);
		let hours = 3;
		for (let i = 0; i < communities; i += 2) hours += 2.5 + (i % 3);
		expect(body.totals.hours).toBe(hours);
		expect(body.totals.items_done).toBe(Math.ceil(communities / 2) + 1);
	});

	it('a from/to period counts done claims by their day and claims by their China day of claimed_at, to inclusive; from after to is a 400', async () => {
		const expected = await expectedMembers('admin', '2026-07-13', '2026-07-20');
		const { body } = await as('admin', dualHttp.getSummary, {}, undefined, 'GET', 'from=2026-07-13&to=2026-07-20');
		expect(byId(body.members as MemberFigures[]).map(pick)).toEqual(expected.map(pick));
		expect(body.totals.hours).toBe(3);
		// the sample's claims were all made on 2026-07-01: none in this period, all of them in that day's
		expect(body.totals.items_claimed).toBe(0);
		const all = Number((await t.db.knex('service_claims').count({ n: '*' }))[0].n);
		expect((await as('admin', dualHttp.getSummary, {}, undefined, 'GET', 'from=2026-07-01&to=2026-07-01')).body.totals.items_claimed).toBe(all);
		expect((await as('admin', dualHttp.getSummary)).body.totals.items_claimed).toBe(all);
		// China days: a claim at 00:30 on 1 July in China (16:30 UTC on 30 June) is of 1 July, not 30 June
		const moved = (await sql(`SELECT id, claimed_at FROM service_claims ORDER BY id LIMIT 1`))[0];
		await t.db.knex('service_claims').where({ id: moved.id }).update({ claimed_at: '2026-06-30T16:30:00Z' });
		try {
			const claimedOn = async (from: string, to: string) => (await as('admin', dualHttp.getSummary, {}, undefined, 'GET', `from=${from}&to=${to}`)).body.totals.items_claimed;
			expect(await claimedOn('2026-06-30', '2026-06-30')).toBe(0);
			expect(await claimedOn('2026-07-01', '2026-07-01')).toBe(all);
			await t.db.knex('service_claims').where({ id: moved.id }).update({ claimed_at: '2026-06-30T15:59:59Z' });
			expect(await claimedOn('2026-06-30', '2026-06-30')).toBe(1);
			expect(await claimedOn('2026-07-01', '2026-07-01')).toBe(all - 1);
		} finally {
			await t.db.knex('service_claims').where({ id: moved.id }).update({ claimed_at: moved.claimed_at });
		}
		const bad = await as('admin', dualHttp.getSummary, {}, undefined, 'GET', 'from=2026-08-01&to=2026-07-01');
		expect(bad.status).toBe(400);
		expect(bad.body.message).toContain('from');
		expect((await as('admin', dualHttp.getSummary, {}, undefined, 'GET', 'to=2026-02-30')).body.message).toContain('to');
	});

	it.each(['admin', 'department', 'grid_worker'])('unclaimed demands equal an independent query for %s', async (role) => {
		const { communities } = await reach(role);
		const rows = await sql(
			`SELECT d.id FROM demands d WHERE d.status = 'open'
				AND (CAST(:all AS boolean) OR (CAST(:grid_worker AS boolean) AND EXISTS (SELECT 1 FROM grids g JOIN assignments a ON a.grid_id = g.id
						WHERE a.person_id = :person AND a.role = 'grid_worker' AND a.valid_to IS NULL AND ST_Covers(g.geom, d.geom)))
					OR (NOT CAST(:grid_worker AS boolean) AND d.community_id = ANY(:communities)))
				AND d.id NOT IN (SELECT demand_id FROM service_projects WHERE demand_id IS NOT NULL)
				AND d.id NOT IN (SELECT i.demand_id FROM service_items i JOIN service_claims sc ON sc.item_id = i.id WHERE i.demand_id IS NOT NULL)
			 ORDER BY d.id`,
			{ all: communities === null, communities: communities ?? [], grid_worker: role === 'grid_worker', person: users[role].person_id ?? -1 }
		);
		const { body } = await as(role, dualHttp.getSummary);
		expect(body.unclaimed_demands.map((d: { id: number }) => d.id).sort((a: number, b: number) => a - b)).toEqual(rows.map((r: { id: number }) => r.id));
		if (role === 'admin') {
			expect(rows.length).toBeGreaterThan(0);
			// the demand whose item was claimed is not among them; the one whose item waits is, with its item
			const claimed = (await sql(`SELECT i.demand_id FROM service_items i WHERE i.demand_id IS NOT NULL AND EXISTS (SELECT 1 FROM service_claims sc WHERE sc.item_id = i.id)`))[0].demand_id;
			const waiting = (await sql(`SELECT i.id, i.demand_id FROM service_items i WHERE i.demand_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM service_claims sc WHERE sc.item_id = i.id)`))[0];
			expect(body.unclaimed_demands.some((d: { id: number }) => d.id === claimed)).toBe(false);
			expect(body.unclaimed_demands.find((d: { id: number }) => d.id === waiting.demand_id)?.item_id).toBe(waiting.id);
			expect(body.unclaimed_items.map((i: { id: number }) => i.id)).toContain(waiting.id);
		}
	});

	it("a department account reads its liaison communities' items and its own members wherever they live, and no others", async () => {
		const dep = users.department.department_id;
		const items = await sql(
			`SELECT i.id FROM service_items i WHERE i.community_id IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep)
				OR EXISTS (SELECT 1 FROM service_claims sc JOIN party_members m ON m.id = sc.member_id WHERE sc.item_id = i.id AND m.department_id = :dep) ORDER BY i.id`,
			{ dep }
		);
		const { body } = await as('department', dualHttp.getItems);
		expect(body.items.map((i: { id: number }) => i.id).sort((a: number, b: number) => a - b)).toEqual(items.map((r: { id: number }) => r.id));
		expect(items.length).toBeLessThan(Number((await t.db.knex('service_items').count({ n: '*' }))[0].n));
		const away = await sql(`SELECT m.id FROM party_members m WHERE m.department_id = :dep AND m.community_id NOT IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep)`, { dep });
		expect(away.length).toBe(1);
		const members = (await as('department', dualHttp.getMembers)).body.members.map((m: { id: number }) => m.id);
		expect(members).toContain(away[0].id);
		const outsider = await sql(`SELECT m.id FROM party_members m WHERE m.department_id IS DISTINCT FROM :dep AND m.community_id NOT IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep) LIMIT 1`, { dep });
		expect(members).not.toContain(outsider[0].id);
		expect((await as('nobody', dualHttp.getSummary)).status).toBe(401);
		expect((await as('nobody', dualHttp.getItems)).status).toBe(401);
	});
});

describe('writing', () => {
	/** A community the demo community admin administers, with a building in it. */
	async function home() {
		const c = (await sql(
			`SELECT c.id, c.code, (SELECT b.code FROM buildings b WHERE ST_Covers(c.geom, b.anchor) ORDER BY b.code LIMIT 1) AS building FROM communities c
			 WHERE c.id IN (SELECT a.community_id FROM assignments a WHERE a.person_id = :p AND a.role IN ('community_secretary', 'first_secretary') AND a.valid_to IS NULL) ORDER BY c.code LIMIT 1`,
			{ p: users.community_admin.person_id }
		))[0];
		const other = (await sql(`SELECT c.id, c.code FROM communities c WHERE c.id <> :id ORDER BY c.code LIMIT 1`, { id: c.id }))[0];
		const department = (await sql(`SELECT d.code FROM departments d ORDER BY d.code LIMIT 1`))[0].code;
		return { ...c, other, department };
	}

	it('a community admin registers a member, posts an item with two slots, claims for two members (a third is a 409) and records hours; each write one audit row', async () => {
		const h = await home();
		const before = await counts();
		const a = await as('community_admin', dualHttp.postMember, {}, { name: ' 测试党员甲 ', community_code: h.code, department_code: h.department, building_code: h.building }, 'POST');
		expect(a.status).toBe(201);
		expect(await t.db.knex('party_members').where({ id: a.body.id }).first('name', 'registered_on')).toMatchObject({ name: '测试党员甲' });
		const b = await as('community_admin', dualHttp.postMember, {}, { name: '测试党员乙', community_code: h.code, unit_name: '驻区银行' }, 'POST');
		const c = await as('community_admin', dualHttp.postMember, {}, { name: '测试党员丙', community_code: h.code, unit_name: '驻区银行' }, 'POST');
		const item = await as('community_admin', dualHttp.postItem, {}, { community_code: h.code, category: 'volunteering', title: '楼道清扫', slots: 2 }, 'POST');
		expect(item.status).toBe(201);
		const first = await as('community_admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: a.body.id }, 'POST');
		expect(first.status).toBe(201);
		expect((await as('community_admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: a.body.id }, 'POST')).status).toBe(409);
		expect((await as('community_admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: b.body.id }, 'POST')).status).toBe(201);
		const mid = await counts();
		const full = await as('community_admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: c.body.id }, 'POST');
		expect(full.status).toBe(409);
		expect(full.body.message).toContain('2');
		expect(await counts()).toEqual(mid);
		const done = await as('community_admin', dualHttp.patchClaim, { id: String(first.body.id) }, { hours: 1.5, people_served: 12, note: '清理杂物' }, 'PATCH');
		expect(done.status).toBe(200);
		expect(await t.db.knex('service_claims').where({ id: first.body.id }).first(t.db.knex.raw(`to_char(done_on, 'YYYY-MM-DD') AS done_on`), t.db.knex.raw('hours::float8 AS hours'), 'people_served')).toEqual({ done_on: chinaDay(), hours: 1.5, people_served: 12 });
		const after = await counts();
		expect(after.party_members).toBe(before.party_members + 3);
		expect(after.service_items).toBe(before.service_items + 1);
		expect(after.service_claims).toBe(before.service_claims + 2);
		expect(after.audit_log).toBe(before.audit_log + 3 + 1 + 2 + 1);
		const figures = (await as('community_admin', dualHttp.getMembers)).body.members.find((m: { id: number }) => m.id === a.body.id);
		expect(figures).toMatchObject({ items_claimed: 1, items_done: 1, hours: 1.5, people_served: 12 });
	});

	it('a member who left cannot claim (409), nothing written; leaving twice is a 409', async () => {
		const h = await home();
		const m = await as('community_admin', dualHttp.postMember, {}, { name: '将离开', community_code: h.code, unit_name: '驻区单位', registered_on: '2026-01-05' }, 'POST');
		expect((await as('community_admin', dualHttp.patchMember, { id: String(m.body.id) }, { left_on: '2026-01-01' }, 'PATCH')).body.message).toContain('left_on');
		expect((await as('community_admin', dualHttp.patchMember, { id: String(m.body.id) }, { left_on: chinaDay() }, 'PATCH')).status).toBe(200);
		expect((await as('community_admin', dualHttp.patchMember, { id: String(m.body.id) }, { left_on: chinaDay() }, 'PATCH')).status).toBe(409);
		const item = await as('community_admin', dualHttp.postItem, {}, { community_code: h.code, category: 'health', title: '量血压', slots: 5 }, 'POST');
		const before = await counts();
		const refused = await as('community_admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: m.body.id }, 'POST');
		expect(refused.status).toBe(409);
		expect(refused.body.message).toContain('left');
		expect(await counts()).toEqual(before);
	});

	it('an item from a demand takes its community, category, title and point and leaves its status alone; a second is a 409', async () => {
		const demand = (await sql(`SELECT d.id, d.community_id, d.category, d.title, d.status, ST_AsText(d.geom) AS at FROM demands d WHERE d.status = 'open' AND NOT EXISTS (SELECT 1 FROM service_items i WHERE i.demand_id = d.id) ORDER BY d.id LIMIT 1`))[0];
		const made = await as('admin', dualHttp.postItem, {}, { demand_id: demand.id }, 'POST');
		expect(made.status).toBe(201);
		const row = (await sql(`SELECT community_id, category, title, ST_AsText(geom) AS at, slots FROM service_items WHERE id = :id`, { id: made.body.id }))[0];
		expect(row).toEqual({ community_id: demand.community_id, category: demand.category, title: demand.title, at: demand.at, slots: 1 });
		const member = (await sql(`SELECT id FROM party_members WHERE community_id = :c AND left_on IS NULL ORDER BY id LIMIT 1`, { c: demand.community_id }))[0];
		expect((await as('admin', dualHttp.postClaim, { id: String(made.body.id) }, { member_id: member.id }, 'POST')).status).toBe(201);
		expect((await t.db.knex('demands').where({ id: demand.id }).first('status')).status).toBe(demand.status);
		expect((await as('admin', dualHttp.postItem, {}, { demand_id: demand.id }, 'POST')).status).toBe(409);
	});

	it('refusals write nothing: roles that may not, another community, another department, another community\'s item', async () => {
		const h = await home();
		const item = (await sql(`SELECT id FROM service_items WHERE community_id = :c ORDER BY id LIMIT 1`, { c: h.other.id }))[0];
		const otherMember = (await sql(`SELECT id FROM party_members WHERE community_id = :c AND left_on IS NULL ORDER BY id LIMIT 1`, { c: h.other.id }))[0];
		const ownItem = (await sql(`SELECT id FROM service_items WHERE community_id = :c ORDER BY id LIMIT 1`, { c: h.id }))[0];
		const dep = users.department.department_id;
		const notOwn = (await sql(`SELECT m.id FROM party_members m WHERE m.department_id IS DISTINCT FROM :dep AND m.community_id IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep) ORDER BY m.id LIMIT 1`, { dep }))[0];
		const otherDepartment = (await sql(`SELECT code FROM departments WHERE id <> :dep ORDER BY code LIMIT 1`, { dep }))[0].code;
		const before = await counts();
		const refusals: [string, Handler, Record<string, string>, unknown, string, number][] = [
			['grid_worker', dualHttp.postMember, {}, { name: '甲', community_code: h.code, unit_name: 'x' }, 'POST', 403],
			['planner', dualHttp.postItem, {}, { community_code: h.code, category: 'health', title: 'x' }, 'POST', 403],
			['community_admin', dualHttp.postMember, {}, { name: '甲', community_code: h.other.code, unit_name: 'x' }, 'POST', 403],
			['community_admin', dualHttp.postItem, {}, { community_code: h.other.code, category: 'health', title: 'x' }, 'POST', 403],
			['community_admin', dualHttp.postClaim, { id: String(item.id) }, { member_id: otherMember.id }, 'POST', 404],
			['community_admin', dualHttp.postClaim, { id: String(ownItem.id) }, { member_id: otherMember.id }, 'POST', 400],
			['department', dualHttp.postMember, {}, { name: '甲', community_code: h.code, department_code: otherDepartment }, 'POST', 403],
			['department', dualHttp.postItem, {}, { community_code: h.code, category: 'health', title: 'x' }, 'POST', 403],
			['building_head', dualHttp.postClaim, { id: String(ownItem.id) }, { member_id: otherMember.id }, 'POST', 403],
			['grid_worker', dualHttp.patchClaim, { id: '1' }, { hours: 2 }, 'PATCH', 403],
			['admin', dualHttp.patchClaim, { id: '99999999' }, { hours: 2 }, 'PATCH', 404],
			['admin', dualHttp.patchMember, { id: '99999999' }, { left_on: '2026-07-01' }, 'PATCH', 404],
			['admin', dualHttp.postClaim, { id: '99999999' }, { member_id: otherMember.id }, 'POST', 404]
		];
		expect(notOwn, "the sample has a member of another department in the department account's liaison communities").toBeDefined();
		const theirItem = (await sql(`SELECT i.id FROM service_items i JOIN party_members m ON m.community_id = i.community_id WHERE m.id = :m ORDER BY i.id LIMIT 1`, { m: notOwn.id }))[0];
		expect(theirItem).toBeDefined();
		refusals.push(['department', dualHttp.postClaim, { id: String(theirItem.id) }, { member_id: notOwn.id }, 'POST', 403]);
		refusals.push(['department', dualHttp.patchMember, { id: String(notOwn.id) }, { left_on: chinaDay() }, 'PATCH', 403]);
		for (const [role, handler, params, body, method, status] of refusals) {
			const reply = await as(role, handler, params, body, method);
			expect(reply.status, `${role} ${JSON.stringify(body)} ${reply.body?.message}`).toBe(status);
		}
		expect(await counts()).toEqual(before);
	});

	it('a department account registers its own members anywhere and claims for them only in their home community', async () => {
		const dep = users.department.department_id;
		const away = (await sql(`SELECT c.code, c.id FROM communities c WHERE c.id NOT IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep) ORDER BY c.code DESC LIMIT 1`, { dep }))[0];
		const made = await as('department', dualHttp.postMember, {}, { name: '部门党员', community_code: away.code }, 'POST');
		expect(made.status).toBe(201);
		expect((await t.db.knex('party_members').where({ id: made.body.id }).first('department_id')).department_id).toBe(dep);
		const item = (await sql(`SELECT id FROM service_items WHERE community_id = :c ORDER BY id LIMIT 1`, { c: away.id }))[0];
		const claimed = await as('department', dualHttp.postClaim, { id: String(item.id) }, { member_id: made.body.id }, 'POST');
		expect(claimed.status).toBe(201);
		expect((await as('department', dualHttp.patchClaim, { id: String(claimed.body.id) }, { hours: 2 }, 'PATCH')).status).toBe(200);
		const liaison = (await sql(`SELECT i.id FROM service_items i WHERE i.community_id IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep) ORDER BY i.id LIMIT 1`, { dep }))[0];
		const before = await counts();
		const elsewhere = await as('department', dualHttp.postClaim, { id: String(liaison.id) }, { member_id: made.body.id }, 'POST');
		expect(elsewhere.status).toBe(409);
		expect(await counts()).toEqual(before);
	});

	it("a department account sees every claim of an item counted (claims_count), though it reads only its own members' claims", async () => {
		const dep = users.department.department_id;
		const away = (await sql(
			`SELECT m.id, m.community_id, c.code FROM party_members m JOIN communities c ON c.id = m.community_id
			 WHERE m.department_id = :dep AND m.left_on IS NULL AND m.community_id NOT IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep) ORDER BY m.id LIMIT 1`,
			{ dep }
		))[0];
		expect(away).toBeDefined();
		const neighbour = (await sql(`SELECT id FROM party_members WHERE community_id = :c AND id <> :m AND left_on IS NULL AND department_id IS DISTINCT FROM :dep ORDER BY id LIMIT 1`, { c: away.community_id, m: away.id, dep }))[0];
		expect(neighbour).toBeDefined();
		const item = await as('admin', dualHttp.postItem, {}, { community_code: away.code, category: 'volunteering', title: '满员事项', slots: 2 }, 'POST');
		expect(item.status).toBe(201);
		expect((await as('admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: neighbour.id }, 'POST')).status).toBe(201);
		expect((await as('admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: away.id }, 'POST')).status).toBe(201);
		const row = (await as('department', dualHttp.getItems)).body.items.find((i: { id: number }) => i.id === item.body.id);
		expect(row.claims.map((c: { member_id: number }) => c.member_id)).toEqual([away.id]);
		expect(row.claims_count).toBe(2);
		expect(row.slots).toBe(2);
		expect((await as('department', dualHttp.getItems, {}, undefined, 'GET', 'unclaimed=true')).body.items.some((i: { id: number }) => i.id === item.body.id)).toBe(false);
		// the page load's items carry the count too, and the admin reads both claims
		const all = (await as('admin', dualHttp.getItems)).body.items.find((i: { id: number }) => i.id === item.body.id);
		expect(all.claims.length).toBe(2);
		expect(all.claims_count).toBe(2);
	});

	/** An open demand with no item and no project, in a community with an active member. */
	async function freeDemand() {
		return (await sql(
			`SELECT d.id, d.community_id, (SELECT m.id FROM party_members m WHERE m.community_id = d.community_id AND m.left_on IS NULL ORDER BY m.id LIMIT 1) AS member
			 FROM demands d WHERE d.status = 'open' AND NOT EXISTS (SELECT 1 FROM service_items i WHERE i.demand_id = d.id)
				AND NOT EXISTS (SELECT 1 FROM service_projects p WHERE p.demand_id = d.id)
				AND EXISTS (SELECT 1 FROM party_members m WHERE m.community_id = d.community_id AND m.left_on IS NULL) ORDER BY d.id LIMIT 1`
		))[0] as { id: number; community_id: number; member: number };
	}

	it('a demand whose item a member claimed cannot be taken by a service project (409, nothing written)', async () => {
		const demand = await freeDemand();
		expect(demand).toBeDefined();
		const item = await as('admin', dualHttp.postItem, {}, { demand_id: demand.id, slots: 2 }, 'POST');
		expect(item.status).toBe(201);
		expect((await as('admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: demand.member }, 'POST')).status).toBe(201);
		const before = { ...(await counts()), service_projects: Number((await t.db.knex('service_projects').count({ n: '*' }))[0].n) };
		const refused = await as('admin', listsHttp.postProject, {}, { title: '对接项目', demand_id: demand.id }, 'POST');
		expect(refused.status).toBe(409);
		expect(refused.body.message).toContain(`demand ${demand.id} is being served by party members (service item ${item.body.id})`);
		expect({ ...(await counts()), service_projects: Number((await t.db.knex('service_projects').count({ n: '*' }))[0].n) }).toEqual(before);
		expect((await t.db.knex('demands').where({ id: demand.id }).first('status')).status).toBe('open');
	});

	it('an item whose demand a service project took up takes no claim (409) and is not listed as unclaimed', async () => {
		const demand = await freeDemand();
		expect(demand).toBeDefined();
		const item = await as('admin', dualHttp.postItem, {}, { demand_id: demand.id }, 'POST');
		expect(item.status).toBe(201);
		expect((await as('admin', dualHttp.getSummary)).body.unclaimed_items.map((i: { id: number }) => i.id)).toContain(item.body.id);
		const project = await as('admin', listsHttp.postProject, {}, { title: '对接项目', demand_id: demand.id }, 'POST');
		expect(project.status).toBe(201);
		const summary = (await as('admin', dualHttp.getSummary)).body;
		expect(summary.unclaimed_items.map((i: { id: number }) => i.id)).not.toContain(item.body.id);
		expect(summary.unclaimed_demands.map((d: { id: number }) => d.id)).not.toContain(demand.id);
		expect((await as('admin', dualHttp.getItems, {}, undefined, 'GET', 'unclaimed=true')).body.items.map((i: { id: number }) => i.id)).not.toContain(item.body.id);
		expect((await as('admin', dualHttp.getItems)).body.items.find((i: { id: number }) => i.id === item.body.id)).toMatchObject({ claims_count: 0, demand_taken: true });
		const before = await counts();
		const refused = await as('admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: demand.member }, 'POST');
		expect(refused.status).toBe(409);
		expect(refused.body.message).toContain(`demand ${demand.id} is taken up by a service project`);
		expect(await counts()).toEqual(before);
	});

	it("left_on before the member's latest service done is a 409 naming left_on, nothing written", async () => {
		const h = await home();
		const m = await as('community_admin', dualHttp.postMember, {}, { name: '做过服务', community_code: h.code, unit_name: '驻区单位', registered_on: '2026-01-05' }, 'POST');
		const item = await as('community_admin', dualHttp.postItem, {}, { community_code: h.code, category: 'health', title: '义诊', slots: 1 }, 'POST');
		const c = await as('community_admin', dualHttp.postClaim, { id: String(item.body.id) }, { member_id: m.body.id }, 'POST');
		expect((await as('community_admin', dualHttp.patchClaim, { id: String(c.body.id) }, { hours: 1 }, 'PATCH')).status).toBe(200);
		const yesterday = new Date(Date.parse(`${chinaDay()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
		const before = await counts();
		const refused = await as('community_admin', dualHttp.patchMember, { id: String(m.body.id) }, { left_on: yesterday }, 'PATCH');
		expect(refused.status).toBe(409);
		expect(refused.body.message).toContain('left_on');
		expect(refused.body.message).toContain(chinaDay());
		expect(await counts()).toEqual(before);
		expect((await t.db.knex('party_members').where({ id: m.body.id }).first('left_on')).left_on).toBeNull();
		expect((await as('community_admin', dualHttp.patchMember, { id: String(m.body.id) }, { left_on: chinaDay() }, 'PATCH')).status).toBe(200);
	});

	it('registered_on before 2000-01-01 is a 400 naming it; 2000-01-01 itself is taken', async () => {
		const h = await home();
		const before = await counts();
		const old = await as('community_admin', dualHttp.postMember, {}, { name: '很早', community_code: h.code, unit_name: '驻区单位', registered_on: '1900-01-01' }, 'POST');
		expect(old.status).toBe(400);
		expect(old.body.message).toContain('registered_on');
		expect(await counts()).toEqual(before);
		expect((await as('community_admin', dualHttp.postMember, { }, { name: '新世纪', community_code: h.code, unit_name: '驻区单位', registered_on: '2000-01-01' }, 'POST')).status).toBe(201);
	});

	it('the page forms offer only what the writes accept: communities to register in and post in, members to claim for', async () => {
		const administered = (await sql(
			`SELECT c.code FROM communities c WHERE c.id IN (SELECT a.community_id FROM assignments a WHERE a.person_id = :p AND a.role IN ('community_secretary', 'first_secretary') AND a.valid_to IS NULL) ORDER BY c.code`,
			{ p: users.community_admin.person_id }
		)).map((r: { code: string }) => r.code);
		const everyCommunity = (await sql(`SELECT code FROM communities ORDER BY code`)).map((r: { code: string }) => r.code);
		expect(administered.length).toBeGreaterThan(0);
		expect(administered.length).toBeLessThan(everyCommunity.length);
		const codes = (rows: { code: string }[]) => rows.map((r) => r.code).sort();
		const ca = await dual.formChoices(t.db.knex, users.community_admin);
		expect(codes(ca.registerCommunities)).toEqual(administered);
		expect(codes(ca.postCommunities)).toEqual(administered);
		const caMembers = (await sql(
			`SELECT m.id FROM party_members m JOIN communities c ON c.id = m.community_id WHERE m.left_on IS NULL AND c.code = ANY(:codes) ORDER BY m.id`,
			{ codes: administered }
		)).map((r: { id: number }) => r.id);
		expect(ca.claimants.map((m) => m.id).sort((a, b) => a - b)).toEqual(caMembers);

		const dep = users.department.department_id;
		const d = await dual.formChoices(t.db.knex, users.department);
		const own = (await sql(`SELECT id FROM party_members WHERE department_id = :dep AND left_on IS NULL ORDER BY id`, { dep })).map((r: { id: number }) => r.id);
		expect(own.length).toBeGreaterThan(0);
		expect(d.claimants.map((m) => m.id).sort((a, b) => a - b)).toEqual(own);
		// the liaison communities hold other departments' members, which the department account reads but may not claim for
		const theirs = (await sql(`SELECT m.id FROM party_members m WHERE m.department_id IS DISTINCT FROM :dep AND m.community_id IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep)`, { dep }));
		expect(theirs.length).toBeGreaterThan(0);
		expect(codes(d.registerCommunities)).toEqual(everyCommunity);
		expect(d.postCommunities).toEqual([]);

		const a = await dual.formChoices(t.db.knex, users.admin);
		expect(codes(a.registerCommunities)).toEqual(everyCommunity);
		expect(codes(a.postCommunities)).toEqual(everyCommunity);
		expect(a.claimants.length).toBe(Number((await t.db.knex('party_members').whereNull('left_on').count({ n: '*' }))[0].n));
		expect((await dual.formChoices(t.db.knex, users.grid_worker)).claimants).toEqual([]);
	});

	it.each([
		[dualHttp.postMember, {}, { community_code: 'C', unit_name: 'x' }, 'name'],
		[dualHttp.postMember, {}, { name: '<b>x</b>', community_code: 'C', unit_name: 'x' }, 'name'],
		[dualHttp.postMember, {}, { name: 'x', community_code: 'nowhere', unit_name: 'x' }, 'community_code'],
		[dualHttp.postMember, {}, { name: 'x', community_code: 'C' }, 'unit_name'],
		[dualHttp.postMember, {}, { name: 'x', community_code: 'C', department_code: 'nope' }, 'department_code'],
		[dualHttp.postMember, {}, { name: 'x', community_code: 'C', unit_name: 'x', building_code: 'B-none' }, 'building_code'],
		[dualHttp.postMember, {}, { name: 'x', community_code: 'C', unit_name: 'x', building_code: 'OTHER' }, 'building_code'],
		[dualHttp.postMember, {}, { name: 'x', community_code: 'C', unit_name: 'x', registered_on: '2026-02-30' }, 'registered_on'],
		[dualHttp.postMember, {}, { name: 'x', community_code: 'C', unit_name: 'x', registered_on: '1900-01-01' }, 'registered_on'],
		[dualHttp.postMember, {}, { name: 'x', community_code: 'C', unit_name: 'x', registered_on: '1999-12-31' }, 'registered_on'],
		[dualHttp.postItem, {}, { category: 'health', title: 'x' }, 'community_code'],
		[dualHttp.postItem, {}, { community_code: 'C', title: 'x' }, 'category'],
		[dualHttp.postItem, {}, { community_code: 'C', category: 'sport', title: 'x' }, 'category'],
		[dualHttp.postItem, {}, { community_code: 'C', category: 'health' }, 'title'],
		[dualHttp.postItem, {}, { community_code: 'C', category: 'health', title: 'x', slots: 51 }, 'slots'],
		[dualHttp.postItem, {}, { community_code: 'C', category: 'health', title: 'x', slots: 0 }, 'slots'],
		[dualHttp.postItem, {}, { community_code: 'C', category: 'health', title: 'x', lng: 0, lat: 0 }, 'lng'],
		[dualHttp.postItem, {}, { community_code: 'C', category: 'health', title: 'x', lng: 105.8 }, 'lat'],
		[dualHttp.postItem, {}, { demand_id: 99999999 }, 'demand_id'],
		[dualHttp.postItem, {}, { demand_id: 'one' }, 'demand_id'],
		[dualHttp.postClaim, { id: 'ITEM' }, {}, 'member_id'],
		[dualHttp.postClaim, { id: 'ITEM' }, { member_id: 99999999 }, 'member_id'],
		[dualHttp.postClaim, { id: 'x' }, { member_id: 1 }, 'id'],
		[dualHttp.patchClaim, { id: 'CLAIM' }, {}, 'hours'],
		[dualHttp.patchClaim, { id: 'CLAIM' }, { hours: 0 }, 'hours'],
		[dualHttp.patchClaim, { id: 'CLAIM' }, { hours: 24.5 }, 'hours'],
		[dualHttp.patchClaim, { id: 'CLAIM' }, { hours: 1.25 }, 'hours'],
		[dualHttp.patchClaim, { id: 'CLAIM' }, { hours: 2, people_served: -1 }, 'people_served'],
		[dualHttp.patchClaim, { id: 'CLAIM' }, { hours: 2, done_on: '2999-01-01' }, 'done_on'],
		[dualHttp.patchClaim, { id: 'CLAIM' }, { hours: 2, done_on: '2020-01-01' }, 'done_on'],
		[dualHttp.patchMember, { id: 'MEMBER' }, {}, 'left_on'],
		[dualHttp.patchMember, { id: 'MEMBER' }, { left_on: '2999-01-01' }, 'left_on']
	] as [Handler, Record<string, string>, Record<string, unknown>, string][])('bad input %#: a 400 naming the field, nothing written', async (handler, params, body, field) => {
		const h = await home();
		const item = (await sql(`SELECT id FROM service_items WHERE community_id = :c ORDER BY id LIMIT 1`, { c: h.id }))[0];
		const claimRow = (await sql(`SELECT sc.id FROM service_claims sc JOIN service_items i ON i.id = sc.item_id WHERE i.community_id = :c ORDER BY sc.id LIMIT 1`, { c: h.id }))[0];
		const member = (await sql(`SELECT id FROM party_members WHERE community_id = :c AND left_on IS NULL ORDER BY id LIMIT 1`, { c: h.id }))[0];
		const otherBuilding = (await sql(`SELECT b.code FROM buildings b, communities c WHERE c.id = :c AND NOT ST_Covers(c.geom, b.anchor) ORDER BY b.code LIMIT 1`, { c: h.id }))[0].code;
		const fill = (v: unknown) => (v === 'C' ? h.code : v === 'OTHER' ? otherBuilding : v);
		const realParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === 'ITEM' ? String(item.id) : v === 'CLAIM' ? String(claimRow.id) : v === 'MEMBER' ? String(member.id) : v]));
		const realBody = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, fill(v)]));
		const before = await counts();
		const reply = await as('admin', handler, realParams, realBody, 'POST');
		expect(reply.status, reply.body?.message).toBe(400);
		expect(reply.body.message).toContain(field);
		expect(await counts()).toEqual(before);
	});
});
