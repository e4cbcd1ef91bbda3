/**
 * The case loop's settings on a real PostGIS, through the endpoint handlers an admin's page
 * calls: a category's new rule dispatches the next case, a new time limit sets the next
 * deadline and leaves open cases alone, a non-admin and bad input change nothing, an API key
 * is stored as its SHA-256 only, and every change leaves exactly one audit row.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as settings from '../../src/lib/server/cases/case-settings.js';
import * as settingsHttp from '../../src/lib/server/http/case-settings.js';
import * as cases from '../../src/lib/server/cases/cases.js';
import { dueAfter } from '../../src/lib/server/platform/calendar.js';
import { errorReply, type Call, type Handler } from '../../src/lib/server/http/endpoint.js';
import { scopeFor } from '../../src/lib/server/ownership/territory.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';

let t: TestDatabase;
const users: Record<string, User> = {};
/** A point inside demo-grid's grid, inside the admin's and the community admin's territory. */
let point: { lng: number; lat: number };

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
});
afterAll(async () => {
	await t?.drop();
});

/** Calls a handler as `role` would through HTTP; the reply, errors rendered as the endpoint renders them. */
async function as(role: string, handler: Handler, params: Record<string, string> = {}, body?: unknown) {
	const user = users[role];
	const call: Call = {
		db: t.db,
		user,
		scope: await scopeFor(t.db.knex, user),
		method: body === undefined ? 'GET' : 'PUT',
		path: '/api/test',
		params,
		query: new URLSearchParams(),
		origin: 'http://localhost',
		secure: false,
		header: () => null,
		body: async () => Buffer.from(body === undefined ? '' : JSON.stringify(body)),
		clientAddress: '127.0.0.1'
	};
	let reply;
	try {
		reply = await handler(call);
	} catch (error) {
		reply = errorReply(error);
	}
	return { status: reply.status, body: reply.body ? JSON.parse(String(reply.body)) : null };
}

function report(over: Partial<cases.ReportInput> = {}): cases.ReportInput {
	return { category: 'environment', matter_type: 'practical', urgency: 'general', title: '垃圾堆放', description: '楼下垃圾三天未清运', ...point, photos: [], resolved_on_site: false, source: 'patrol', ...over };
}

async function createCase(over: Partial<cases.ReportInput> = {}) {
	const admin = users.admin;
	const created = await cases.create(t.db.knex, { user: admin, name: admin.username }, await scopeFor(t.db.knex, admin), report(over));
	return t.db.knex('issues').where({ code: created.code }).first('code', 'handler_kind', 'handler_department_id', 'reported_at', 'due_at');
}

/** Everything the settings endpoints could write. */
async function snapshot() {
	return {
		categories: await t.db.knex('case_categories').orderBy('code').select('code', 'handler', 'department_id', 'active', 'updated_at'),
		limits: await t.db.knex('case_time_limits').orderBy(['matter_type', 'urgency']).select(),
		ack: await t.db.knex('departments').orderBy('code').select('code', 'ack_limit_hours', 'updated_at'),
		keys: await t.db.knex('api_keys').orderBy('id').select(),
		audit: Number((await t.db.knex('audit_log').count({ n: '*' }))[0].n)
	};
}

async function auditRows(entity: string) {
	return t.db.knex('audit_log').where({ entity }).orderBy('id').select('actor', 'action', 'detail');
}

describe('case categories', () => {
	it('lists the 12 ledgers to any signed-in user, with the linked department', async () => {
		const { status, body } = await as('grid_worker', settingsHttp.getCategories);
		expect(status).toBe(200);
		expect(body.map((c: settings.CategorySetting) => c.code)).toEqual([
			'environment', 'infrastructure', 'parking', 'property_management', 'safety_hazard', 'dispute',
			'public_service', 'illegal_construction', 'municipal_facility', 'drainage', 'greenery', 'noise'
		]);
		expect(body[0]).toMatchObject({ code: 'environment', handler: 'grid_worker', active: true, sort: 1 });
		// What the public sees of each (issue 20, point 1): disputes and a household's own needs name no place, noise and building work only roughly.
		expect(Object.fromEntries(body.map((c: settings.CategorySetting) => [c.code, c.publication]))).toEqual({
			environment: 'exact', infrastructure: 'exact', parking: 'exact', property_management: 'exact', safety_hazard: 'exact', dispute: 'withheld',
			public_service: 'withheld', illegal_construction: 'approximate', municipal_facility: 'exact', drainage: 'exact', greenery: 'exact', noise: 'approximate'
		});
	});

	it('an admin sends a category to a department: the next case is dispatched there, one audit row says before and after', async () => {
		const before = await createCase();
		expect(before.handler_kind).toBe('grid_worker');
		const target = await t.db.knex('departments').orderBy('code', 'desc').first('id', 'code', 'name');

		const { status, body } = await as('admin', settingsHttp.putCategory, { code: 'environment' }, { handler: 'department', department_code: target.code });
		expect(status).toBe(200);
		expect(body).toEqual({ code: 'environment', handler: 'department', department: { code: target.code, name: target.name }, active: true, sort: 1, publication: 'exact' });

		const after = await createCase();
		expect([after.handler_kind, after.handler_department_id]).toEqual(['department', target.id]);
		const audit = await auditRows('case_category:environment');
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor: 'demo-admin', action: 'update_case_category' });
		expect([audit[0].detail.before.handler, audit[0].detail.after.handler, audit[0].detail.after.department.code]).toEqual(['grid_worker', 'department', target.code]);
	});

	it('an inactive category takes no new reports', async () => {
		expect((await as('admin', settingsHttp.putCategory, { code: 'noise' }, { handler: 'grid_worker', active: false })).status).toBe(200);
		await expect(createCase({ category: 'noise' })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/category 'noise' is unknown/) });
	});

	it('refuses a non-admin with 403 and bad input with a 400 naming the field, writing nothing', async () => {
		const unchanged = await snapshot();
		const attempts: [string, Handler, Record<string, string>, unknown, number, RegExp][] = [
			['community_admin', settingsHttp.putCategory, { code: 'parking' }, { handler: 'grid_worker' }, 403, /community_admin account may not change case categories/],
			['department', settingsHttp.putTimeLimits, {}, { limits: [{ matter_type: 'urgent', urgency: 'urgent', hours: 2 }] }, 403, /may not/],
			['grid_worker', settingsHttp.putAckLimit, { code: 'x' }, { hours: 4 }, 403, /may not/],
			['planner', settingsHttp.getApiKeys, {}, undefined, 403, /may not read API keys/],
			['building_head', settingsHttp.postApiKey, {}, { name: 'x' }, 403, /may not issue API keys/],
			['admin', settingsHttp.putCategory, { code: 'parking' }, { handler: 'department', department_code: 'NO-SUCH' }, 400, /^department_code 'NO-SUCH' is not a known department$/],
			['admin', settingsHttp.putCategory, { code: 'parking' }, { handler: 'mayor' }, 400, /^handler must be one of grid_worker, community, department$/],
			['admin', settingsHttp.putCategory, { code: 'parking' }, { handler: 'department', department_code: null }, 400, /^department_code is required when handler is department$/],
			['admin', settingsHttp.putCategory, { code: 'parking' }, { handler: 'community', active: 'yes' }, 400, /^active must be true or false$/],
			['admin', settingsHttp.putCategory, { code: 'no_such' }, { handler: 'community' }, 404, /no case category 'no_such'/],
			['admin', settingsHttp.putTimeLimits, {}, { limits: [{ matter_type: 'urgent', urgency: 'urgent', hours: 2 }, { matter_type: 'major', urgency: 'general', hours: 0 }] }, 400, /^limits\[1\]\.hours must be a whole number from 1 to 10000, got '0'$/],
			['admin', settingsHttp.putTimeLimits, {}, { limits: [{ matter_type: 'urgent', urgency: 'urgent', hours: 2.5 }] }, 400, /^limits\[0\]\.hours must be a whole number/],
			['admin', settingsHttp.putTimeLimits, {}, { limits: [{ matter_type: 'trivial', urgency: 'urgent', hours: 2 }] }, 400, /^limits\[0\]\.matter_type must be one of/],
			['admin', settingsHttp.putTimeLimits, {}, { limits: [{ matter_type: 'urgent', urgency: 'urgent', hours: 2 }, { matter_type: 'urgent', urgency: 'urgent', hours: 3 }] }, 400, /^limits\[1\] repeats urgent\/urgent$/],
			['admin', settingsHttp.putTimeLimits, {}, { limits: [] }, 400, /^limits must be a non-empty list/],
			['admin', settingsHttp.putAckLimit, { code: 'x' }, { hours: 0 }, 400, /^hours must be a whole number from 1 to 1000, got '0'$/],
			['admin', settingsHttp.putAckLimit, { code: 'x' }, { hours: 1001 }, 400, /^hours must be a whole number from 1 to 1000/],
			['admin', settingsHttp.putAckLimit, { code: 'NO-SUCH' }, { hours: 4 }, 404, /no department 'NO-SUCH'/],
			['admin', settingsHttp.postApiKey, {}, { name: '' }, 400, /^name is required/],
			['admin', settingsHttp.postApiKey, {}, { name: 'x', source: 'twitter' }, 400, /^source must be one of/],
			['admin', settingsHttp.postApiKey, {}, { name: '<b>app</b>' }, 400, /^name must be plain text/],
			['admin', settingsHttp.postRevokeApiKey, { id: '999999' }, undefined, 404, /no API key 999999/]
		];
		for (const [role, handler, params, body, status, message] of attempts) {
			const reply = await as(role, handler, params, body);
			expect([reply.status, reply.body?.message], `${role} ${JSON.stringify(body)}`).toEqual([status, expect.stringMatching(message)]);
		}
		expect(await snapshot()).toEqual(unchanged);
	});
});

describe('time limits', () => {
	it('a new limit sets the deadline of the next case; an open case keeps its own; one audit row lists the change', async () => {
		const open = await createCase({ category: 'parking', matter_type: 'important' });
		const limits = (await as('community_admin', settingsHttp.getTimeLimits)).body as settings.TimeLimit[];
		expect(limits).toHaveLength(10);
		expect(limits.slice(0, 2)).toEqual([
			{ matter_type: 'major', urgency: 'general', hours: 160 },
			{ matter_type: 'major', urgency: 'urgent', hours: 80 }
		]);

		// The page sends all ten; only the one that differs is written and audited.
		const sent = limits.map((l) => (l.matter_type === 'important' && l.urgency === 'general' ? { ...l, hours: 12 } : l));
		const { status, body } = await as('admin', settingsHttp.putTimeLimits, {}, { limits: sent });
		expect(status).toBe(200);
		expect(body).toEqual(sent);

		const next = await createCase({ category: 'parking', matter_type: 'important' });
		expect(new Date(next.due_at).getTime()).toBe((await dueAfter(t.db.knex, new Date(next.reported_at), 12)).getTime());
		expect((await t.db.knex('issues').where({ code: open.code }).first('due_at')).due_at).toEqual(open.due_at);
		expect(new Date(open.due_at).getTime()).toBe((await dueAfter(t.db.knex, new Date(open.reported_at), 80)).getTime());

		const audit = await auditRows('case_time_limits');
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor: 'demo-admin', action: 'update_case_time_limits', detail: { changed: [{ matter_type: 'important', urgency: 'general', hours: 12, was: 80 }] } });
	});
});

describe('department acknowledgement limits', () => {
	it('an admin sets a department’s limit, with an audit row', async () => {
		const department = await t.db.knex('departments').orderBy('code').first('code', 'name', 'ack_limit_hours');
		const { status, body } = await as('admin', settingsHttp.putAckLimit, { code: department.code }, { hours: 12 });
		expect([status, body]).toEqual([200, { code: department.code, name: department.name, ack_limit_hours: 12 }]);
		expect((await t.db.knex('departments').where({ code: department.code }).first('ack_limit_hours')).ack_limit_hours).toBe(12);
		expect(await auditRows(`department:${department.code}`)).toEqual([{ actor: 'demo-admin', action: 'update_ack_limit', detail: { before: department.ack_limit_hours, after: 12 } }]);
	});
});

describe('Open311 API keys', () => {
	it('issues a key shown once and stored as its SHA-256; revokes it; never lists a hash; audits both', async () => {
		const issued = await as('admin', settingsHttp.postApiKey, {}, { name: '市民 App', source: 'hotline' });
		expect(issued.status).toBe(201);
		const key: string = issued.body.key;
		expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes in base64url
		const row = await t.db.knex('api_keys').where({ id: issued.body.id }).first();
		expect(row).toMatchObject({ name: '市民 App', source: 'hotline', created_by: users.admin.id, revoked_at: null });
		expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
		const { rows: holding } = await t.db.knex.raw(`SELECT id FROM api_keys WHERE position(:key in row_to_json(api_keys)::text) > 0`, { key });
		expect(holding).toEqual([]);

		const listed = await as('admin', settingsHttp.getApiKeys);
		expect(listed.status).toBe(200);
		expect(listed.body.find((k: settings.ApiKeyRow) => k.id === issued.body.id)).toEqual({
			id: issued.body.id, name: '市民 App', source: 'hotline', created_at: expect.any(String), revoked_at: null, created_by: 'demo-admin'
		});
		expect(JSON.stringify(listed.body)).not.toMatch(/key_hash|[0-9a-f]{64}/);
		expect(listed.body.map((k: settings.ApiKeyRow) => k.name)).toContain('Demo Open311 client (demo only)');

		const revoked = await as('admin', settingsHttp.postRevokeApiKey, { id: String(issued.body.id) });
		expect(revoked.status).toBe(200);
		const revokedAt = (await t.db.knex('api_keys').where({ id: issued.body.id }).first('revoked_at')).revoked_at;
		expect(revokedAt).toBeInstanceOf(Date);
		// Revoking again keeps the first time and audits nothing more.
		expect((await as('admin', settingsHttp.postRevokeApiKey, { id: String(issued.body.id) })).status).toBe(200);
		expect((await t.db.knex('api_keys').where({ id: issued.body.id }).first('revoked_at')).revoked_at).toEqual(revokedAt);

		expect(await auditRows(`api_key:${issued.body.id}`)).toEqual([
			{ actor: 'demo-admin', action: 'issue_api_key', detail: { name: '市民 App', source: 'hotline' } },
			{ actor: 'demo-admin', action: 'revoke_api_key', detail: { name: '市民 App' } }
		]);
	});
});
