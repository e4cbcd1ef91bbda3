/**
 * 三张清单 on a real PostGIS (issue 14, part 3): each list holds exactly the rows of the
 * caller's territory (independent SQL); the matching view lists a demand's category with the
 * community's liaison departments first; agreeing a project takes the demand up and progress
 * finishes it, each write with one audit row; creation outside the territory is a 403 and bad
 * input a 400 naming the field, with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHandler } from '../helpers/call.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as lists from '../../src/lib/server/governance/service-lists.js';
import * as listsHttp from '../../src/lib/server/http/service-lists.js';
import * as departments from '../../src/lib/server/governance/departments.js';
import type { Handler } from '../../src/lib/server/http/endpoint.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';

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

const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
const sqlIds = async (sql: string, bindings: Record<string, unknown> = {}) => ((await t.db.knex.raw(sql, bindings)).rows as { id: number }[]).map((r) => r.id).sort((a, b) => a - b);
const counts = async () => {
	const out: Record<string, number> = {};
	for (const table of ['resources', 'demands', 'service_projects', 'audit_log']) out[table] = Number((await t.db.knex(table).count({ n: '*' }))[0].n);
	out.open = Number((await t.db.knex('demands').where({ status: 'open' }).count({ n: '*' }))[0].n);
	return out;
};
/** A point inside a grid the demo grid worker holds, and one in a community outside its territory. */
async function points() {
	const inside = (await t.db.knex.raw(
		`SELECT ST_X(p) AS lng, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM grids g JOIN assignments a ON a.grid_id = g.id
		 WHERE a.person_id = :person AND a.role = 'grid_worker' ORDER BY g.id LIMIT 1) x`,
		{ person: users.grid_worker.person_id }
	)).rows[0];
	const outside = (await t.db.knex.raw(
		`SELECT ST_X(p) AS lng, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(c.geom) AS p FROM communities c
		 WHERE NOT ST_Intersects(c.geom, (SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id WHERE a.person_id = :person AND a.role = 'grid_worker'))
		 ORDER BY c.code LIMIT 1) x`,
		{ person: users.grid_worker.person_id }
	)).rows[0];
	return { inside: [Number(inside.lng), Number(inside.lat)], outside: [Number(outside.lng), Number(outside.lat)] };
}

describe('the lists by territory', () => {
	it('the sample holds resources, demands (some open) and projects agreed at meetings', async () => {
		const c = await counts();
		expect(c.resources).toBeGreaterThan(5);
		expect(c.demands).toBeGreaterThan(5);
		expect(c.service_projects).toBeGreaterThan(0);
		expect(c.open).toBeGreaterThan(0);
		expect(Number((await t.db.knex('service_projects').whereNotNull('meeting_id').count({ n: '*' }))[0].n)).toBe(c.service_projects);
	});

	it('an admin reads every row', async () => {
		expect(ids((await as('admin', listsHttp.getDemands)).body.demands)).toEqual(await sqlIds('SELECT id FROM demands'));
		expect(ids((await as('admin', listsHttp.getProjects)).body.projects)).toEqual(await sqlIds('SELECT id FROM service_projects'));
		expect(ids((await as('admin', listsHttp.getResources)).body.resources)).toEqual(await sqlIds('SELECT id FROM resources'));
	});

	it("a department account reads its liaison communities' demands and projects only", async () => {
		const dep = users.department.department_id;
		const demands = await sqlIds(`SELECT d.id FROM demands d WHERE d.community_id IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep)`, { dep });
		const projects = await sqlIds(`SELECT p.id FROM service_projects p WHERE p.community_id IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep)`, { dep });
		expect(demands.length).toBeGreaterThan(0);
		expect(demands.length).toBeLessThan(Number((await t.db.knex('demands').count({ n: '*' }))[0].n));
		expect(ids((await as('department', listsHttp.getDemands)).body.demands)).toEqual(demands);
		expect(ids((await as('department', listsHttp.getProjects)).body.projects)).toEqual(projects);
	});

	it("a grid worker reads the demands at points in its grids", async () => {
		const expected = await sqlIds(
			`SELECT d.id FROM demands d WHERE ST_Covers((SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id WHERE a.person_id = :person AND a.role = 'grid_worker'), d.geom)`,
			{ person: users.grid_worker.person_id }
		);
		expect(ids((await as('grid_worker', listsHttp.getDemands)).body.demands)).toEqual(expected);
	});

	it('a list filters by category; signed out is a 401', async () => {
		const { body } = await as('admin', listsHttp.getDemands, {}, undefined, 'GET', 'category=health');
		expect(ids(body.demands)).toEqual(await sqlIds(`SELECT id FROM demands WHERE category = 'health'`));
		expect((await as('admin', listsHttp.getDemands, {}, undefined, 'GET', 'category=sport')).status).toBe(400);
		expect((await as('nobody', listsHttp.getDemands)).status).toBe(401);
	});

	it("a department page lists its resources and the projects that use them", async () => {
		const own = await t.db.knex('departments').where({ id: users.department.department_id }).first('code');
		const page = await departments.read(t.db.knex, users.department, own.code);
		expect(ids(page.resources)).toEqual(await sqlIds('SELECT id FROM resources WHERE department_id = :dep', { dep: users.department.department_id }));
		expect(ids(page.projects)).toEqual(await sqlIds('SELECT p.id FROM service_projects p JOIN resources r ON r.id = p.resource_id WHERE r.department_id = :dep', { dep: users.department.department_id }));
	});
});

describe('matching', () => {
	it("suggests the demand's category, the community's liaison departments first, then the others by title", async () => {
		const demand = (await t.db.knex.raw(`SELECT id, community_id, category FROM demands WHERE status = 'open' ORDER BY id LIMIT 1`)).rows[0];
		// an extra county-wide resource of the category from a department that does not liaise with the community, titled to sort first
		const outsider = await t.db.knex.raw(
			`SELECT d.id FROM departments d WHERE NOT EXISTS (SELECT 1 FROM community_liaisons l WHERE l.department_id = d.id AND l.community_id = :c) ORDER BY d.code LIMIT 1`,
			{ c: demand.community_id }
		);
		const liaison = await t.db.knex.raw(`SELECT department_id AS id FROM community_liaisons WHERE community_id = :c ORDER BY is_lead, department_id LIMIT 1`, { c: demand.community_id });
		await t.db.knex('resources').insert([
			{ department_id: outsider.rows[0].id, category: demand.category, title: '0 先按标题', created_by: 'test' },
			{ department_id: liaison.rows[0].id, category: demand.category, title: 'z 联系单位资源', created_by: 'test' },
			{ department_id: liaison.rows[0].id, category: demand.category === 'health' ? 'volunteering' : 'health', title: '0 别的类别', created_by: 'test' }
		]);
		const { status, body } = await as('admin', listsHttp.getMatches, { id: String(demand.id) });
		expect(status).toBe(200);
		const m = body.matches as { title: string; category: string; liaison: boolean; is_lead: boolean }[];
		expect(m.every((r) => r.category === demand.category)).toBe(true);
		const firstOther = m.findIndex((r) => !r.liaison);
		expect(m.slice(firstOther).every((r) => !r.liaison)).toBe(true);
		expect(m.findIndex((r) => r.title === 'z 联系单位资源')).toBeLessThan(m.findIndex((r) => r.title === '0 先按标题'));
		const others = m.slice(firstOther).map((r) => r.title);
		expect(others).toEqual([...others].sort());
		const expected = await sqlIds(
			`SELECT r.id FROM resources r WHERE r.category = :cat AND (r.community_id IS NULL OR r.community_id = :c
				OR r.department_id IN (SELECT department_id FROM community_liaisons WHERE community_id = :c))`,
			{ cat: demand.category, c: demand.community_id }
		);
		expect(ids(body.matches)).toEqual(expected);
	});

	it("a demand outside the caller's territory is a 404", async () => {
		const dep = users.department.department_id;
		const other = await t.db.knex.raw(`SELECT id FROM demands WHERE community_id NOT IN (SELECT community_id FROM community_liaisons WHERE department_id = :dep) ORDER BY id LIMIT 1`, { dep });
		expect((await as('department', listsHttp.getMatches, { id: String(other.rows[0].id) })).status).toBe(404);
		expect((await as('admin', listsHttp.getMatches, { id: '99999999' })).status).toBe(404);
		expect((await as('admin', listsHttp.getMatches, { id: 'x' })).status).toBe(400);
	});
});

describe('writing', () => {
	it('a grid worker records a demand in its grid (audit row); outside it is a 403 with nothing written', async () => {
		const p = await points();
		const before = await counts();
		const made = await as('grid_worker', listsHttp.postDemand, {}, { category: 'health', title: '需要上门体检', lng: p.inside[0], lat: p.inside[1] }, 'POST');
		expect(made.status).toBe(201);
		const after = await counts();
		expect(after.demands).toBe(before.demands + 1);
		expect(after.audit_log).toBe(before.audit_log + 1);
		const row = await t.db.knex('demands').where({ id: made.body.id }).first('status', 'reported_by');
		expect(row).toEqual({ status: 'open', reported_by: users.grid_worker.id });
		const refused = await as('grid_worker', listsHttp.postDemand, {}, { category: 'health', title: '越界', lng: p.outside[0], lat: p.outside[1] }, 'POST');
		expect(refused.status).toBe(403);
		expect(await counts()).toEqual(after);
	});

	it('a department account may not record demands; a community admin may not add resources for another community', async () => {
		const p = await points();
		const before = await counts();
		expect((await as('department', listsHttp.postDemand, {}, { category: 'health', title: 'x', lng: p.inside[0], lat: p.inside[1] }, 'POST')).status).toBe(403);
		const other = await t.db.knex.raw(
			`SELECT code FROM communities WHERE id NOT IN (SELECT a.community_id FROM assignments a WHERE a.person_id = :p AND a.community_id IS NOT NULL) ORDER BY code LIMIT 1`,
			{ p: users.community_admin.person_id }
		);
		expect((await as('community_admin', listsHttp.postResource, {}, { category: 'health', title: 'x', unit_name: '某单位', community_code: other.rows[0].code }, 'POST')).status).toBe(403);
		expect(await counts()).toEqual(before);
	});

	it.each([
		[{ title: 'x', lng: 105.8, lat: 28.8 }, 'category'],
		[{ category: 'sport', title: 'x', lng: 105.8, lat: 28.8 }, 'category'],
		[{ category: 'health', lng: 105.8, lat: 28.8 }, 'title'],
		[{ category: 'health', title: 'x', lat: 28.8 }, 'lng'],
		[{ category: 'health', title: 'x', lng: 105.8, lat: 'north' }, 'lat'],
		[{ category: 'health', title: 'x', lng: 0, lat: 0 }, 'lng'],
		[{ category: 'health', title: 'x', lng: 105.8, lat: 28.8, building_id: -1 }, 'building_id']
	])('a bad demand %j is a 400 naming %s, nothing written', async (body, field) => {
		const before = await counts();
		const reply = await as('admin', listsHttp.postDemand, {}, body, 'POST');
		expect(reply.status).toBe(400);
		expect(reply.body.message).toContain(field);
		expect(await counts()).toEqual(before);
	});

	it('agreeing a project takes the demand up; a second is a 409; progress to 100 finishes both', async () => {
		// an open demand no party member serves (a claimed 双报到 item on it refuses a project: dual-reporting.test.ts)
		const demand = (await t.db.knex.raw(
			`SELECT d.id, d.category FROM demands d WHERE d.status = 'open'
				AND NOT EXISTS (SELECT 1 FROM service_items i JOIN service_claims sc ON sc.item_id = i.id WHERE i.demand_id = d.id) ORDER BY d.id LIMIT 1`
		)).rows[0];
		const resource = await t.db.knex('resources').where({ category: demand.category }).orderBy('id').first('id');
		const before = await counts();
		const made = await as('admin', listsHttp.postProject, {}, { title: '对接项目', demand_id: demand.id, resource_id: resource.id }, 'POST');
		expect(made.status).toBe(201);
		expect((await t.db.knex('demands').where({ id: demand.id }).first('status')).status).toBe('matched');
		const after = await counts();
		expect(after.service_projects).toBe(before.service_projects + 1);
		expect(after.audit_log).toBe(before.audit_log + 1);
		expect((await as('admin', listsHttp.postProject, {}, { title: '再来', demand_id: demand.id }, 'POST')).status).toBe(409);

		const half = await as('admin', listsHttp.patchProject, { id: String(made.body.id) }, { progress_pct: 40 }, 'PATCH');
		expect(half.status).toBe(200);
		expect(await t.db.knex('service_projects').where({ id: made.body.id }).first('status', 'progress_pct')).toEqual({ status: 'in_progress', progress_pct: 40 });
		await as('admin', listsHttp.patchProject, { id: String(made.body.id) }, { status: 'done' }, 'PATCH');
		const done = await t.db.knex('service_projects').where({ id: made.body.id }).first('status', 'progress_pct', 'done_on');
		expect(done.status).toBe('done');
		expect(done.progress_pct).toBe(100);
		expect(done.done_on).not.toBeNull();
		expect((await t.db.knex('demands').where({ id: demand.id }).first('status')).status).toBe('done');
		expect((await counts()).audit_log).toBe(after.audit_log + 2);
	});

	it.each([
		[{ demand_id: 1 }, 'title'],
		[{ title: 'x', demand_id: 'one' }, 'demand_id'],
		[{ title: 'x', community_code: 'nowhere', category: 'health' }, 'community_code'],
		[{ title: 'x', category: 'health' }, 'community_code'],
		[{ title: 'x', resource_id: 99999999, community_code: 'C', category: 'health' }, 'resource_id'],
		[{ title: 'x', demand_id: 99999999 }, 'demand_id'],
		[{ title: 'x', category: 'health', community_code: 'C', meeting_id: 99999999 }, 'meeting_id']
	])('a bad project %j is a 400 naming %s, nothing written', async (body, field) => {
		const before = await counts();
		const community = (await t.db.knex('communities').orderBy('code').first('code')).code;
		const reply = await as('admin', listsHttp.postProject, {}, { ...body, ...((body as { community_code?: string }).community_code === 'C' ? { community_code: community } : {}) }, 'POST');
		expect(reply.status).toBe(400);
		expect(reply.body.message).toContain(field);
		expect(await counts()).toEqual(before);
	});

	it('bad progress is a 400 naming the field; a grid worker may not update projects', async () => {
		const id = String((await t.db.knex('service_projects').orderBy('id').first('id')).id);
		for (const [body, field] of [[{ progress_pct: 101 }, 'progress_pct'], [{ status: 'paused' }, 'status'], [{}, 'status']] as const) {
			const reply = await as('admin', listsHttp.patchProject, { id }, body, 'PATCH');
			expect(reply.status).toBe(400);
			expect(reply.body.message).toContain(field);
		}
		expect((await as('grid_worker', listsHttp.patchProject, { id }, { progress_pct: 60 }, 'PATCH')).status).toBe(403);
	});
});
