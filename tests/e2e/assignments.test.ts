/**
 * Assigning and unassigning roles over HTTP: history kept, reasons required, audit rows
 * written, and only admins (anywhere) or community admins (inside their community) may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let t: TestDatabase;
let server: RunningServer;
const cookie: Record<string, string> = {};

beforeAll(async () => {
	t = await createTestDatabase('sample');
	server = await startServer({ DATABASE_URL: t.url });
	for (const user of ['demo-admin', 'demo-community', 'demo-grid']) {
		const res = await fetch(`${server.url}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username: user, password: 'demo' })
		});
		cookie[user] = res.headers.get('set-cookie')!.split(';')[0];
	}
}, 300_000);
afterAll(async () => {
	await server?.stop();
	await t?.drop();
});

const call = (user: string, method: string, path: string, body?: unknown) =>
	fetch(`${server.url}${path}`, {
		method,
		headers: { 'content-type': 'application/json', cookie: cookie[user] ?? '' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});

async function headlessBuildingInCommunity(inside: boolean) {
	const { rows } = await t.db.knex.raw(
		`SELECT b.code FROM buildings b JOIN grids g ON g.id = b.grid_id JOIN communities c ON c.id = g.community_id
		 WHERE (c.code = '510522100006') = ? AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.building_id = b.id AND a.role = 'building_head')
		 ORDER BY b.code LIMIT 1`,
		[inside]
	);
	return rows[0].code as string;
}

describe('assignments', () => {
	it('assigns a building head with a reason, shows it in the roster and the person, then ends it and keeps history', async () => {
		const building = await headlessBuildingInCommunity(true);
		const { rows } = await t.db.knex.raw(`SELECT code FROM people WHERE is_party_member ORDER BY code DESC LIMIT 1`);
		const person = rows[0].code;
		const created = await call('demo-admin', 'POST', '/api/assignments', {
			person_code: person,
			role: 'building_head',
			target_code: building,
			reason: '五步工作法选聘'
		});
		expect(created.status).toBe(201);
		const { id } = await created.json();
		const roster = await (await call('demo-admin', 'GET', `/api/areas/building/${building}/roster`)).json();
		expect(roster.people.some((p: { code: string; role: string }) => p.code === person && p.role === 'building_head')).toBe(true);
		expect(roster.people.some((p: { role: string }) => p.role === 'grid_worker')).toBe(true); // via the grid

		const again = await call('demo-admin', 'POST', '/api/assignments', { person_code: person, role: 'building_head', target_code: building, reason: 'x' });
		expect(again.status).toBe(409);

		const ended = await call('demo-admin', 'POST', `/api/assignments/${id}/end`, { reason: '搬离小区' });
		expect(ended.status).toBe(200);
		const after = await (await call('demo-admin', 'GET', `/api/areas/building/${building}/roster`)).json();
		expect(after.people.some((p: { code: string }) => p.code === person)).toBe(false);
		const history = await (await call('demo-admin', 'GET', `/api/people/${person}`)).json();
		const held = history.assignments.find((a: { id: number }) => a.id === id);
		expect(held).toMatchObject({ role: 'building_head', level: 'building', target_code: building, reason: '搬离小区' });
		expect(held.valid_to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const audit = await t.db.knex('audit_log').whereIn('action', ['assign', 'unassign']).orderBy('id').pluck('action');
		expect(audit).toEqual(['assign', 'unassign']);
	});

	it.each([
		[{ person_code: 'P0000001', role: 'building_head', target_code: 'B00000001' }, 400, /reason is required/],
		[{ person_code: 'P0000001', role: 'mayor', target_code: 'B00000001', reason: 'r' }, 400, /role must be one of/],
		[{ person_code: 'P0000001', role: 'grid_worker', target_code: 'B00000001', reason: 'r' }, 404, /no grid with code 'B00000001'/],
		[{ person_code: 'nobody', role: 'building_head', target_code: 'B00000001', reason: 'r' }, 404, /no person/],
		[{ person_code: 'P0000001', role: 'building_head', target_code: 'B00000001', reason: 'r', valid_from: '2026-13-01' }, 400, /valid_from must be a date/]
	])('rejects %j with %i', async (body, status, message) => {
		const before = await t.db.knex('assignments').count({ n: '*' });
		const res = await call('demo-admin', 'POST', '/api/assignments', body);
		expect(res.status).toBe(status);
		expect((await res.json()).message).toMatch(message);
		expect(await t.db.knex('assignments').count({ n: '*' })).toEqual(before);
	});

	it('lets a community admin assign inside their community only, and a grid worker not at all', async () => {
		const { rows } = await t.db.knex.raw(`SELECT code FROM people WHERE is_party_member ORDER BY code DESC OFFSET 1 LIMIT 1`);
		const person = rows[0].code;
		const inside = await headlessBuildingInCommunity(true);
		const outside = await headlessBuildingInCommunity(false);
		const body = (target: string) => ({ person_code: person, role: 'building_head', target_code: target, reason: '居民推选' });
		expect((await call('demo-community', 'POST', '/api/assignments', body(outside))).status).toBe(403);
		expect((await call('demo-grid', 'POST', '/api/assignments', body(inside))).status).toBe(403);
		expect((await call('anonymous', 'POST', '/api/assignments', body(inside))).status).toBe(401);
		expect((await call('demo-community', 'POST', '/api/assignments', body(inside))).status).toBe(201);
	});

	it('shows a community’s 4+N roster', async () => {
		const roster = await (await call('demo-admin', 'GET', '/api/areas/community/510522100006/roster')).json();
		const roles = new Set(roster.people.map((p: { role: string }) => p.role));
		for (const role of ['first_secretary', 'street_secretary', 'community_secretary']) expect(roles.has(role), role).toBe(true);
		expect(roster.departments.filter((d: { is_lead: boolean }) => d.is_lead)).toHaveLength(1);
	});
});
