/**
 * The reporter's private link on a real PostGIS (issue 21): a resident's report walked through
 * the loop by staff, then seen and reopened through the link. Reopening goes only from
 * `resolved`, only within 14 days of the resolution, only with the link's token, and writes
 * nothing when refused; a reopened case is back in its grid worker's list and counts as
 * rework in the evaluation. The link shows public replies, never internal notes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHandler } from '../helpers/call.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as cases from '../../src/lib/server/cases/cases.js';
import * as reporter from '../../src/lib/server/http/case-reporter.js';
import * as evaluation from '../../src/lib/server/governance/evaluation.js';
import * as casePhotos from '../../src/lib/server/cases/case-photos.js';
import sharp from 'sharp';
import { scopeFor } from '../../src/lib/server/ownership/territory.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';

let t: TestDatabase;
const users: Record<string, User> = {};
/** A point inside demo-grid's grid, which lies in the demo community admin's community. */
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

async function as(role: string) {
	return { user: users[role], scope: await scopeFor(t.db.knex, users[role]) };
}

/** A resident's report, taken to `upTo` by the community admin and the grid worker as the loop goes. */
async function residentCase(upTo: 'in_progress' | 'resolved'): Promise<{ code: string; token: string }> {
	const created = await cases.create(t.db.knex, { user: null, name: '居民' }, { kind: 'outlines' }, {
		category: 'environment',
		matter_type: 'practical',
		urgency: 'general',
		title: '路灯不亮',
		description: '小区门口路灯坏了一周',
		...point,
		photos: [],
		resolved_on_site: false,
		source: 'resident'
	});
	const admin = await as('community_admin');
	const worker = await as('grid_worker');
	let version = created.version;
	version = await cases.transition(t.db.knex, admin.user, admin.scope, created.code, version, { to: 'registered', photos: [], departments: [] });
	version = await cases.transition(t.db.knex, admin.user, admin.scope, created.code, version, { to: 'dispatched', photos: [], departments: [], handler: { kind: 'grid_worker' } });
	version = await cases.transition(t.db.knex, worker.user, worker.scope, created.code, version, { to: 'in_progress', photos: [], departments: [] });
	if (upTo === 'resolved') {
		await cases.transition(t.db.knex, worker.user, worker.scope, created.code, version, {
			to: 'resolved',
			note: '联系了物业经理张三 13900000000',
			public_reply: '路灯已更换，感谢反映',
			photos: [],
			departments: []
		});
	}
	return { code: created.code, token: created.reporter_token! };
}

/** What a refusal must leave as it was. */
async function snapshot(code: string) {
	const row = await t.db.knex('issues').where({ code }).first('id', 'status', 'version', 'updated_at');
	const events = Number((await t.db.knex('issue_events').where({ issue_id: row.id }).count({ n: '*' }))[0].n);
	return { ...row, events };
}

async function reopenCall(code: string, body: unknown) {
	return callHandler(t.db, null, reporter.postReopen, { params: { code }, body, method: 'POST' });
}

describe('the reporter link', () => {
	it('shows the timeline with the public reply and never the internal note', async () => {
		const { code, token } = await residentCase('resolved');
		const seen = await callHandler(t.db, null, reporter.getView, { params: { code }, query: `token=${token}` });
		expect(seen.status).toBe(200);
		expect(seen.body.steps.map((s: { to: string }) => s.to)).toEqual(['reported', 'registered', 'dispatched', 'in_progress', 'resolved']);
		expect(seen.body.steps.at(-1).public_reply).toBe('路灯已更换，感谢反映');
		expect(JSON.stringify(seen.body)).not.toContain('张三');
		expect(JSON.stringify(seen.body)).not.toContain('13900000000');
		expect(seen.body.may_rate).toBe(true);
		expect(seen.body.reopen_until).not.toBeNull();
		const wrong = await callHandler(t.db, null, reporter.getView, { params: { code }, query: `token=not-the-token` });
		expect(wrong.status).toBe(404);
	});

	it('serves the photos of the report and of the resolution, not those taken on the way', async () => {
		const jpeg = (colour: string) => sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).jpeg().toBuffer();
		const created = await cases.create(t.db.knex, { user: null, name: '居民' }, { kind: 'outlines' }, {
			category: 'environment',
			matter_type: 'practical',
			urgency: 'general',
			title: '井盖松动',
			description: '人行道井盖松动',
			...point,
			photos: [(await casePhotos.upload(t.db.knex, null, await jpeg('#333'))).token],
			resolved_on_site: false,
			source: 'resident'
		});
		const admin = await as('community_admin');
		const worker = await as('grid_worker');
		const code = created.code;
		let version = created.version;
		const photo = async () => (await casePhotos.upload(t.db.knex, worker.user, await jpeg('#393'))).token;
		version = await cases.transition(t.db.knex, admin.user, admin.scope, code, version, { to: 'registered', photos: [], departments: [] });
		version = await cases.transition(t.db.knex, admin.user, admin.scope, code, version, { to: 'dispatched', photos: [], departments: [], handler: { kind: 'grid_worker' } });
		version = await cases.transition(t.db.knex, worker.user, worker.scope, code, version, { to: 'in_progress', note: '现场勘查', photos: [await photo()], departments: [] });
		await cases.transition(t.db.knex, worker.user, worker.scope, code, version, { to: 'resolved', public_reply: '已更换井盖', photos: [await photo()], departments: [] });
		const token = created.reporter_token!;
		const seen = await callHandler(t.db, null, reporter.getView, { params: { code }, query: `token=${token}` });
		const shown = seen.body.steps.flatMap((s: { photos: number[] }) => s.photos) as number[];
		const all = (await t.db.knex('case_photos').join('issues', 'issues.id', 'case_photos.issue_id').where('issues.code', code).orderBy('case_photos.id').pluck('case_photos.id')).map(Number);
		expect(all).toHaveLength(3);
		// The report's photo and the after-photo; the one of the inspection stays with staff.
		expect(shown).toEqual([all[0], all[2]]);
		const served = async (id: number, withToken = token) => (await reporter.getPhoto({ ...(await callFor(code, id, withToken)) })).status;
		expect(await served(all[0])).toBe(200);
		expect(await served(all[2])).toBe(200);
		await expect(served(all[1])).rejects.toMatchObject({ status: 404 });
		await expect(served(all[2], 'wrong-token')).rejects.toMatchObject({ status: 404 });
	});
});

/** A bare Call for the link's photo endpoint (its reply carries bytes, not JSON). */
async function callFor(code: string, id: number, token: string) {
	return {
		db: t.db,
		user: null,
		scope: { kind: 'outlines' as const },
		method: 'GET',
		path: `/api/cases/${code}/reporter/photos/${id}`,
		params: { code, id: String(id) },
		query: new URLSearchParams({ token }),
		origin: 'http://localhost',
		secure: false,
		header: () => null,
		body: async () => new Uint8Array(),
		clientAddress: '127.0.0.1'
	};
}

describe('reopening', () => {
	it('reopens a resolved case within 14 days: back to its grid worker as reopened, one event with the reason', async () => {
		const { code, token } = await residentCase('resolved');
		const before = await snapshot(code);
		const answer = await reopenCall(code, { token, reason: '路灯还是不亮，晚上一片漆黑' });
		expect(answer.status).toBe(200);
		expect(answer.body.status).toBe('reopened');
		expect(answer.body.may_rate).toBe(false);
		expect(answer.body.reopen_until).toBeNull();
		const after = await snapshot(code);
		expect([after.status, after.version, after.events]).toEqual(['reopened', before.version + 1, before.events + 1]);
		const event = await t.db.knex('issue_events').where({ issue_id: after.id }).orderBy('id', 'desc').first('kind', 'from_status', 'to_status', 'note', 'actor_name', 'actor_user_id');
		expect(event).toEqual({ kind: 'transition', from_status: 'resolved', to_status: 'reopened', note: '路灯还是不亮，晚上一片漆黑', actor_name: '反映人', actor_user_id: null });
		// Back with the handler: in the grid worker's list, and theirs to take up again.
		const worker = await as('grid_worker');
		const list = await cases.workList(t.db.knex, worker.user, worker.scope, 'handle');
		expect(list.items.find((i) => i.code === code)?.status).toBe('reopened');
		const record = await cases.read(t.db.knex, worker.user, worker.scope, code);
		expect(record!.allowed).toEqual(['in_progress']);
		await cases.transition(t.db.knex, worker.user, worker.scope, code, record!.version, { to: 'in_progress', photos: [], departments: [] });
		expect((await snapshot(code)).status).toBe('in_progress');
	});

	it('refuses after 14 days, from any status but resolved, without the token or a reason — writing nothing', async () => {
		const late = await residentCase('resolved');
		const lateId = (await snapshot(late.code)).id;
		await t.db.knex.raw(`UPDATE issue_events SET at = at - interval '15 days' WHERE issue_id = :id AND to_status = 'resolved'`, { id: lateId });
		const open = await residentCase('in_progress');
		const fresh = await residentCase('resolved');
		const refusals: [string, unknown, number, RegExp][] = [
			[late.code, { token: late.token, reason: '还是坏的' }, 409, /more than 14 days ago/],
			[open.code, { token: open.token, reason: '还是坏的' }, 409, /in_progress cannot be reopened/],
			[fresh.code, { token: late.token, reason: '还是坏的' }, 404, /for this link/],
			[fresh.code, { reason: '还是坏的' }, 400, /token is required/],
			[fresh.code, { token: fresh.token }, 400, /reason is required/],
			[fresh.code, { token: fresh.token, reason: '<b>坏</b>' }, 400, /reason must be plain text/],
			[fresh.code, { token: fresh.token, reason: '还是坏的', photos: ['not-a-photo'] }, 400, /photos\[0\]/]
		];
		for (const [code, body, status, message] of refusals) {
			const before = await snapshot(code);
			const answer = await reopenCall(code, body);
			expect([answer.status, answer.body.message], JSON.stringify(body)).toEqual([status, expect.stringMatching(message)]);
			expect(await snapshot(code), JSON.stringify(body)).toEqual(before);
		}
		// A signed-in role cannot make the reporter's move either.
		const admin = await as('admin');
		const version = (await snapshot(fresh.code)).version;
		await expect(cases.transition(t.db.knex, admin.user, admin.scope, fresh.code, version, { to: 'reopened', note: 'x', photos: [], departments: [] })).rejects.toMatchObject({ status: 403 });
	});

	it('counts a reopened case as rework in the evaluation of its community', async () => {
		const admin = await as('admin');
		const year = new Date().getFullYear();
		const communityOf = async (code: string) =>
			(await t.db.knex.raw(`SELECT c.code FROM communities c JOIN issues i ON ST_Covers(c.geom, i.geom) WHERE i.code = :code`, { code })).rows[0].code as string;
		const { code, token } = await residentCase('resolved');
		const community = await communityOf(code);
		const figuresOf = async () => (await evaluation.table(t.db.knex, admin.user, admin.scope, year)).communities.find((c) => c.code === community)!;
		const before = await figuresOf();
		expect((await reopenCall(code, { token, reason: '垃圾又堆起来了' })).status).toBe(200);
		const after = await figuresOf();
		expect([after.rework, after.resolved]).toEqual([before.rework + 1, before.resolved]);
	});
});
