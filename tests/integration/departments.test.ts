/**
 * Department pages and liaison links on a real PostGIS (issue 14, part 1): the page data
 * equals independent SQL over the tables (communities, lead unit, deputies, escalations on
 * time or late against the department's limit); every link change writes exactly one history
 * row per department it touches and moves a department account's territory; who may read
 * which page, and bad input a 400 naming the field with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHandler } from '../helpers/call.js';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import * as departments from '../../src/lib/server/governance/departments.js';
import * as departmentsHttp from '../../src/lib/server/http/departments.js';
import type { Handler } from '../../src/lib/server/http/endpoint.js';
import { scopeFor } from '../../src/lib/server/ownership/territory.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';

let t: TestDatabase;
const users: Record<string, User> = {};
let own: { id: number; code: string };
let other: { id: number; code: string };

beforeAll(async () => {
	t = await createTestDatabase('sample');
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) users[r.role] = r;
	own = await t.db.knex('departments').where({ id: users.department.department_id }).first('id', 'code');
	other = await t.db.knex('departments').whereNot({ id: own.id }).orderBy('code').first('id', 'code');
});
afterAll(async () => {
	await t?.drop();
});

async function as(role: string, handler: Handler, params: Record<string, string> = {}, body?: unknown, method = 'GET') {
	return callHandler(t.db, users[role] ?? null, handler, { params, body, method });
}

const ownCommunities = (id: number) =>
	t.db.knex
		.raw(`SELECT c.code, l.is_lead FROM community_liaisons l JOIN communities c ON c.id = l.community_id WHERE l.department_id = :id ORDER BY c.code`, { id })
		.then((r) => r.rows as { code: string; is_lead: boolean }[]);

describe('the page data', () => {
	it('lists its communities, lead unit and deputies as the tables hold them', async () => {
		const person = await t.db.knex('people').whereNull('department_id').orderBy('code').first('id', 'code', 'name', 'phone');
		const link = await t.db.knex('community_liaisons').where({ department_id: own.id }).orderBy('id').first('id');
		await t.db.knex('community_liaisons').where({ id: link.id }).update({ deputy_person_id: person.id });
		const { status, body } = await as('department', departmentsHttp.getPage, { code: own.code });
		expect(status).toBe(200);
		const expected = await ownCommunities(own.id);
		expect(expected.length).toBeGreaterThan(0);
		expect(body.communities.map((c: { code: string; is_lead: boolean }) => ({ code: c.code, is_lead: c.is_lead })).sort((a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code))).toEqual(expected);
		expect(body.map.features.map((f: { properties: { code: string } }) => f.properties.code).sort()).toEqual(expected.map((c) => c.code));
		const withDeputy = body.communities.filter((c: { deputy: unknown }) => c.deputy !== null);
		expect(withDeputy).toHaveLength(1);
		expect(withDeputy[0].deputy).toEqual({ code: person.code, name: person.name, phone: person.phone });
		// 三张清单 (issue 14, part 3): its resources, and the projects that use them
		const resources = (await t.db.knex('resources').where({ department_id: own.id }).orderBy('id').select('id')).map((r) => r.id);
		expect(body.resources.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b)).toEqual(resources);
		expect(Array.isArray(body.projects)).toBe(true);
	});

	it('lists escalations with on time, late and waiting against the ack limit', async () => {
		// Four cases in its communities: acknowledged within the limit, after it, not yet and past it, not yet and not due.
		const issues = (
			await t.db.knex.raw(
				`SELECT i.id, i.code FROM issues i WHERE i.status NOT IN ('resolved', 'verified', 'closed', 'rejected')
				 AND ST_Covers((SELECT ST_Union(c.geom) FROM communities c JOIN community_liaisons l ON l.community_id = c.id WHERE l.department_id = :id), i.geom)
				 ORDER BY i.code LIMIT 4`,
				{ id: own.id }
			)
		).rows as { id: number; code: string }[];
		expect(issues).toHaveLength(4);
		const h = 3600_000;
		const now = Date.now();
		const specs = [
			{ escalated: now - 48 * h, due: now - 40 * h, ack: now - 44 * h },
			{ escalated: now - 48 * h, due: now - 40 * h, ack: now - 30 * h },
			{ escalated: now - 20 * h, due: now - 12 * h, ack: null },
			{ escalated: now - 2 * h, due: now + 6 * h, ack: null }
		];
		for (const [i, s] of specs.entries()) {
			await t.db.knex('case_escalations').insert({
				issue_id: issues[i].id,
				department_id: own.id,
				escalated_at: new Date(s.escalated),
				ack_due_at: new Date(s.due),
				acknowledged_at: s.ack === null ? null : new Date(s.ack)
			});
		}
		// An escalation to another department stays off this page.
		await t.db.knex('case_escalations').insert({ issue_id: issues[0].id, department_id: other.id, escalated_at: new Date(now - h), ack_due_at: new Date(now + h) });
		const { body } = await as('admin', departmentsHttp.getPage, { code: own.code });
		const byCode = Object.fromEntries(body.escalations.map((e: { case_code: string }) => [e.case_code, e]));
		expect(Object.keys(byCode).sort()).toEqual(issues.map((i) => i.code).sort());
		const states = specs.map((s) => ((s.ack ?? now) > s.due ? 'late' : s.ack === null ? 'waiting' : 'on_time'));
		expect(issues.map((i) => byCode[i.code].ack)).toEqual(states);
		expect(states).toEqual(['on_time', 'late', 'late', 'waiting']);
		expect(body.escalation_counts).toEqual({ total: 4, on_time: 1, late: 2, waiting: 1 });
		for (const [i, s] of specs.entries()) {
			const e = byCode[issues[i].code];
			expect(e.escalated_at).toBe(new Date(s.escalated).toISOString());
			expect(e.acknowledged_at).toBe(s.ack === null ? null : new Date(s.ack).toISOString());
			expect(e.open).toBe(true);
		}
		const { rows: community } = await t.db.knex.raw(`SELECT c.code FROM communities c, issues i WHERE i.id = :id AND ST_Covers(c.geom, i.geom) ORDER BY c.code LIMIT 1`, { id: issues[0].id });
		expect(byCode[issues[0].code].community_code).toBe(community[0].code);
		const list = await as('admin', departmentsHttp.getList);
		expect(list.body).toHaveLength(Number((await t.db.knex('departments').count({ n: '*' }))[0].n));
		expect(list.body.find((d: { code: string }) => d.code === own.code).awaiting_ack).toBe(2);
	});
});

describe('who reads which page', () => {
	it('gives county-wide roles every page, a department its own only, refuses the area-bound roles', async () => {
		for (const role of ['admin', 'planner', 'housing']) {
			expect((await as(role, departmentsHttp.getPage, { code: other.code })).status, role).toBe(200);
		}
		expect((await as('department', departmentsHttp.getPage, { code: own.code })).status).toBe(200);
		expect((await as('department', departmentsHttp.getPage, { code: other.code })).status).toBe(404);
		expect((await as('department', departmentsHttp.getPage, { code: 'NO-SUCH' })).status).toBe(404);
		const listed = await as('department', departmentsHttp.getList);
		expect(listed.body.map((d: { code: string }) => d.code)).toEqual([own.code]);
		for (const role of ['community_admin', 'grid_worker', 'building_head']) {
			expect((await as(role, departmentsHttp.getPage, { code: own.code })).status, role).toBe(403);
			expect((await as(role, departmentsHttp.getList)).status, role).toBe(403);
		}
		expect((await as('anonymous', departmentsHttp.getList)).status).toBe(401);
	});
});

describe('link changes', () => {
	const historyRows = (id: number) => t.db.knex('community_liaison_history').where({ department_id: id }).orderBy('id').select('action', 'before', 'after', 'reason', 'actor');
	const territoryEquals = async (user: User, codes: string[]) => {
		const scope = await scopeFor(t.db.knex, user);
		if (scope.kind !== 'territory' || scope.geojson === null) return false;
		const { rows } = await t.db.knex.raw(
			`SELECT ST_Equals(ST_SetSRID(ST_GeomFromGeoJSON(:g), 4326), (SELECT ST_Union(geom) FROM communities WHERE code = ANY(:codes))) AS same`,
			{ g: scope.geojson, codes }
		);
		return rows[0].same === true;
	};

	it('adds a link with a history row and widens the department account territory', async () => {
		const before = await ownCommunities(own.id);
		const added = (await t.db.knex('communities').whereNotIn('code', before.map((c) => c.code)).orderBy('code').first('code')).code as string;
		expect(await territoryEquals(users.department, before.map((c) => c.code))).toBe(true);
		const res = await as('admin', departmentsHttp.postLiaison, { code: own.code }, { community_code: added, reason: '县委组织部调整联系社区' }, 'POST');
		expect(res.status).toBe(201);
		expect(res.body.communities.map((c: { code: string }) => c.code)).toContain(added);
		expect((await ownCommunities(own.id)).find((c) => c.code === added)).toEqual({ code: added, is_lead: false });
		const rows = await historyRows(own.id);
		expect(rows.at(-1)).toEqual({ action: 'added', before: null, after: { is_lead: false }, reason: '县委组织部调整联系社区', actor: 'demo-admin' });
		expect(res.body.history[0]).toMatchObject({ action: 'added', community_code: added, reason: '县委组织部调整联系社区', actor: 'demo-admin' });
		expect(await territoryEquals(users.department, [...before.map((c) => c.code), added])).toBe(true);

		// The same link again changes nothing: a 409.
		expect((await as('admin', departmentsHttp.postLiaison, { code: own.code }, { community_code: added, reason: 'again' }, 'POST')).status).toBe(409);
	});

	it('makes it the lead unit, taking the lead from the former one with a row on both pages', async () => {
		const community = (await t.db.knex.raw(
			`SELECT c.id, c.code FROM community_liaisons l JOIN communities c ON c.id = l.community_id WHERE l.department_id = :id AND NOT l.is_lead
			 AND EXISTS (SELECT 1 FROM community_liaisons o WHERE o.community_id = c.id AND o.is_lead) ORDER BY c.code LIMIT 1`,
			{ id: own.id }
		)).rows[0];
		const former = await t.db.knex('community_liaisons').where({ community_id: community.id, is_lead: true }).first('department_id');
		const res = await as('admin', departmentsHttp.postLiaison, { code: own.code }, { community_code: community.code, is_lead: true, reason: '牵头单位调整' }, 'POST');
		expect(res.status).toBe(200);
		expect(await t.db.knex('community_liaisons').where({ community_id: community.id, is_lead: true }).pluck('department_id')).toEqual([own.id]);
		expect((await historyRows(own.id)).at(-1)).toMatchObject({ action: 'lead_set', before: { is_lead: false }, after: { is_lead: true } });
		expect((await historyRows(former.department_id)).at(-1)).toMatchObject({ action: 'lead_unset', before: { is_lead: true }, after: { is_lead: false }, reason: '牵头单位调整' });
	});

	it('names and clears a deputy secretary, then removes a link and narrows the territory', async () => {
		const links = await ownCommunities(own.id);
		const community = links[links.length - 1].code;
		const person = await t.db.knex('people').where({ department_id: own.id }).orderBy('code').first('code', 'name');
		const named = await as('admin', departmentsHttp.putDeputy, { code: own.code, community }, { person_code: person.code, reason: '任命兼职副书记' }, 'PUT');
		expect(named.status).toBe(200);
		expect(named.body.communities.find((c: { code: string }) => c.code === community).deputy).toMatchObject({ code: person.code, name: person.name });
		expect((await historyRows(own.id)).at(-1)).toMatchObject({ action: 'deputy_set', before: null, after: { code: person.code, name: person.name } });
		const stranger = await t.db.knex('people').whereNot({ department_id: own.id }).whereNotNull('department_id').first('code');
		const refused = await as('admin', departmentsHttp.putDeputy, { code: own.code, community }, { person_code: stranger.code, reason: 'x' }, 'PUT');
		expect(refused.status).toBe(400);
		expect(refused.body.message).toMatch(/person_code/);
		const cleared = await as('admin', departmentsHttp.putDeputy, { code: own.code, community }, { person_code: null, reason: '调离' }, 'PUT');
		expect(cleared.status).toBe(200);
		expect((await historyRows(own.id)).at(-1)).toMatchObject({ action: 'deputy_unset', before: { code: person.code }, after: null, reason: '调离' });

		const removed = await as('admin', departmentsHttp.deleteLiaison, { code: own.code, community }, { reason: '不再联系' }, 'DELETE');
		expect(removed.status).toBe(200);
		expect((await historyRows(own.id)).at(-1)).toMatchObject({ action: 'removed', after: null, reason: '不再联系' });
		const now = await ownCommunities(own.id);
		expect(now.map((c) => c.code)).not.toContain(community);
		expect(await territoryEquals(users.department, now.map((c) => c.code))).toBe(true);
		expect((await as('admin', departmentsHttp.deleteLiaison, { code: own.code, community }, { reason: 'again' }, 'DELETE')).status).toBe(404);
	});

	it('refuses non-admins with a 403 and bad input with a 400 naming the field, writing nothing', async () => {
		const counts = await tableCounts(t.db);
		const community = (await t.db.knex('communities').orderBy('code').first('code')).code;
		for (const role of ['planner', 'department', 'community_admin']) {
			expect((await as(role, departmentsHttp.postLiaison, { code: own.code }, { community_code: community, reason: 'r' }, 'POST')).status, role).toBe(403);
			expect((await as(role, departmentsHttp.deleteLiaison, { code: own.code, community }, { reason: 'r' }, 'DELETE')).status, role).toBe(403);
			expect((await as(role, departmentsHttp.putDeputy, { code: own.code, community }, { person_code: null, reason: 'r' }, 'PUT')).status, role).toBe(403);
		}
		const bad: [unknown, RegExp][] = [
			[{ reason: 'r' }, /community_code/],
			[{ community_code: community }, /reason/],
			[{ community_code: community, reason: '  ' }, /reason/],
			[{ community_code: community, reason: '<b>x</b>' }, /reason/],
			[{ community_code: community, reason: 'r', is_lead: 'yes' }, /is_lead/],
			[{ community_code: 'NO-SUCH', reason: 'r' }, /community_code/],
			['not json', /JSON/]
		];
		for (const [body, field] of bad) {
			const res = await as('admin', departmentsHttp.postLiaison, { code: own.code }, body, 'POST');
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(res.body.message).toMatch(field);
		}
		const deputy = await as('admin', departmentsHttp.putDeputy, { code: own.code, community }, { reason: 'r' }, 'PUT');
		expect(deputy.status).toBe(400);
		expect(deputy.body.message).toMatch(/person_code/);
		expect((await as('admin', departmentsHttp.postLiaison, { code: 'NO-SUCH' }, { community_code: community, reason: 'r' }, 'POST')).status).toBe(404);
		expect(await tableCounts(t.db)).toEqual(counts);
	});
});
