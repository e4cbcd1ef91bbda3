/**
 * 三个一 (issue 14, part 2) on a real PostGIS with the sample: planned, held and overdue per
 * community and obligation for 2026 equal an independent SQL count; a visit, a report and a
 * meeting recorded by the community's admin count; recording outside the territory (403) or
 * with bad input (400 naming the field) writes nothing; a matter raised becomes a case at its
 * point with source joint_meeting and is linked back, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import * as threeOnes from '../../src/lib/server/governance/three-ones.js';
import * as threeOnesHttp from '../../src/lib/server/http/three-ones.js';
import { scopeFor, forgetTerritories, type Scope } from '../../src/lib/server/ownership/territory.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';
import type { Call } from '../../src/lib/server/http/endpoint.js';
import { isApiError } from '../../src/lib/server/platform/errors.js';

let t: TestDatabase;
const users: Record<string, User> = {};
const scopes: Record<string, Scope> = {};
/** demo-community's community (桂园林社区) and one outside its territory */
const MINE = '510522100006';
const OTHER = '510522100001';
const TODAY = '2026-11-30';

beforeAll(async () => {
	t = await createTestDatabase('sample');
	forgetTerritories();
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) {
		users[r.role] = r;
		scopes[r.role] = await scopeFor(t.db.knex, r);
	}
}, 120_000);
afterAll(async () => {
	await t?.drop();
});

async function refusal(work: () => unknown): Promise<[number, string]> {
	try {
		await work();
	} catch (e) {
		if (isApiError(e)) return [e.status, e.message];
		throw e;
	}
	return [200, ''];
}

function call(role: string, body: unknown, params: Record<string, string> = {}, query = ''): Call {
	return {
		db: t.db,
		user: users[role],
		scope: scopes[role],
		method: 'POST',
		path: '/api/x',
		params,
		query: new URLSearchParams(query),
		origin: 'http://localhost',
		secure: false,
		header: () => null,
		body: async () => Buffer.from(JSON.stringify(body)),
		clientAddress: '127.0.0.1'
	} as Call;
}

/** Planned, held, overdue per community and kind for a year, computed here from the tables alone. */
async function independent(year: number, today: string): Promise<Record<string, Record<string, [number, number, number]>>> {
	const { rows } = await t.db.knex.raw(
		`WITH fs AS (
			SELECT DISTINCT ON (a.community_id) a.community_id, a.valid_from, a.valid_to FROM assignments a
			WHERE a.role = 'first_secretary' AND a.valid_from <= current_date AND (a.valid_to IS NULL OR a.valid_to > current_date)
			ORDER BY a.community_id, a.valid_from DESC, a.id
		), k(kind, months) AS (VALUES ('visit', 1), ('report', 3), ('meeting', 6)),
		p AS (
			SELECT k.kind, d::date AS p_from, (d + make_interval(months => k.months))::date AS p_to
			FROM k, generate_series(make_date(:year, 1, 1), make_date(:year, 12, 1), interval '1 month') d
			WHERE (extract(month FROM d)::int - 1) % k.months = 0
		), cells AS (
			SELECT c.code, p.kind, p.p_to,
				(fs.community_id IS NOT NULL AND p.p_to > fs.valid_from AND (fs.valid_to IS NULL OR p.p_from < fs.valid_to)) AS owed,
				EXISTS (SELECT 1 FROM first_secretary_activities r WHERE r.community_id = c.id AND r.kind = p.kind AND r.held_on >= p.p_from AND r.held_on < p.p_to) AS has
			FROM communities c CROSS JOIN p LEFT JOIN fs ON fs.community_id = c.id
		)
		SELECT code, kind, count(*) FILTER (WHERE owed) AS planned, count(*) FILTER (WHERE owed AND has) AS held,
			count(*) FILTER (WHERE owed AND NOT has AND p_to <= CAST(:today AS date)) AS overdue
		FROM cells GROUP BY code, kind`,
		{ year, today }
	);
	const out: Record<string, Record<string, [number, number, number]>> = {};
	for (const r of rows) (out[r.code] ??= {})[r.kind] = [Number(r.planned), Number(r.held), Number(r.overdue)];
	return out;
}

async function asComputed(year: number, today: string) {
	const rows = await threeOnes.table(t.db.knex, { kind: 'all' }, year, today);
	return Object.fromEntries(rows.map((r) => [r.code, Object.fromEntries(threeOnes.ACTIVITY_KINDS.map((k) => [k, [r[k].planned, r[k].held, r[k].overdue]]))]));
}

describe('三个一', () => {
	it('planned, held and overdue equal an independent count, for 2026 and 2025', async () => {
		const computed = await asComputed(2026, TODAY);
		expect(Object.keys(computed)).toHaveLength(13);
		expect(computed).toEqual(await independent(2026, TODAY));
		const overdue = Object.values(computed).flatMap((c) => Object.values(c)).reduce((s, v) => s + v[2], 0);
		const heldCount = Object.values(computed).flatMap((c) => Object.values(c)).reduce((s, v) => s + v[1], 0);
		expect(overdue).toBeGreaterThan(0);
		expect(heldCount).toBeGreaterThan(0);
		expect(await asComputed(2025, TODAY)).toEqual(await independent(2025, TODAY));
	});

	it('a community admin sees only their community in the table', async () => {
		const rows = await threeOnes.table(t.db.knex, scopes.community_admin, 2026, TODAY);
		expect(rows.map((r) => r.code)).toEqual([MINE]);
	});

	it('records a visit and a report of the community admin, and they count', async () => {
		const before = (await asComputed(2026, TODAY))[MINE];
		const visit = await threeOnesHttp.postActivity(call('community_admin', { kind: 'visit', community_code: MINE, held_on: '2026-11-03', place: '酱园坪', note: '走访困难群众' }));
		expect(visit.status).toBe(201);
		const report = await threeOnesHttp.postActivity(call('community_admin', { kind: 'report', community_code: MINE, held_on: '2026-10-08' }));
		expect(report.status).toBe(201);
		const after = (await asComputed(2026, TODAY))[MINE];
		expect(after).toEqual((await independent(2026, TODAY))[MINE]);
		const wasHeld = (await threeOnes.forCommunity(t.db.knex, { kind: 'all' }, MINE, 2026, TODAY))!;
		expect(wasHeld.visit.periods[10].status).toBe('held');
		expect(wasHeld.report.periods[3].status).toBe('held');
		expect(after.visit[1]).toBeGreaterThanOrEqual(before.visit[1]);
		const audit = await t.db.knex('audit_log').where({ action: 'record_visit', actor: 'demo-community' }).count<{ n: string }[]>({ n: '*' });
		expect(Number(audit[0].n)).toBe(1);
	});

	it('refuses recording outside the territory (403) and bad input (400 naming the field), writing nothing', async () => {
		const before = await tableCounts(t.db);
		expect(await refusal(() => threeOnesHttp.postActivity(call('community_admin', { kind: 'visit', community_code: OTHER, held_on: '2026-11-03' })))).toEqual([403, expect.stringContaining(OTHER)]);
		expect((await refusal(() => threeOnesHttp.postMeeting(call('community_admin', { community_code: OTHER, held_on: '2026-11-03', place: '会议室' }))))[0]).toBe(403);
		expect((await refusal(() => threeOnesHttp.postActivity(call('grid_worker', { kind: 'visit', community_code: MINE, held_on: '2026-11-03' }))))[0]).toBe(403);
		expect((await refusal(() => threeOnesHttp.postActivity(call('planner', { kind: 'visit', community_code: MINE, held_on: '2026-11-03' }))))[0]).toBe(403);
		const bad: [unknown, string][] = [
			[{ kind: 'meeting', community_code: MINE }, 'kind'],
			[{ kind: 'visit', community_code: MINE, held_on: '2026-02-30' }, 'held_on'],
			[{ kind: 'visit', community_code: MINE, held_on: '2999-01-01' }, 'held_on'],
			[{ kind: 'visit', held_on: '2026-11-01' }, 'community_code'],
			[{ kind: 'visit', community_code: MINE, note: '<script>x</script>' }, 'note']
		];
		for (const [body, field] of bad) {
			const [status, message] = await refusal(() => threeOnesHttp.postActivity(call('community_admin', body)));
			expect(status, JSON.stringify(body)).toBe(400);
			expect(message).toContain(field);
		}
		const badMeetings: [unknown, string][] = [
			[{ community_code: MINE, held_on: '2026-11-03' }, 'place'],
			[{ community_code: MINE, place: '会议室', raised: [{ text: '' }] }, 'raised[0].text'],
			[{ community_code: MINE, place: '会议室', raised: [{ text: '路灯', lng: 'x', lat: 28.8 }] }, 'raised[0].lng'],
			[{ community_code: MINE, place: '会议室', raised: [{ text: '路灯', lng: 116.4, lat: 39.9 }] }, 'raised[0]'],
			[{ community_code: MINE, place: '会议室', agreements: [{ text: '协议', parties: [3] }] }, 'agreements[0].parties[0]'],
			[{ community_code: MINE, place: '会议室', attendee_codes: ['P9999999'] }, 'attendee_codes[0]'],
			[{ community_code: MINE, place: '会议室', resolved: 'x' }, 'resolved']
		];
		for (const [body, field] of badMeetings) {
			const [status, message] = await refusal(() => threeOnesHttp.postMeeting(call('community_admin', body)));
			expect(status, JSON.stringify(body)).toBe(400);
			expect(message).toContain(field);
		}
		expect(await tableCounts(t.db)).toEqual(before);
	});

	it('a matter raised at a meeting becomes a case at its point, linked back, once', async () => {
		const { rows } = await t.db.knex.raw(`SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM communities WHERE code = :c`, { c: MINE });
		const [lng, lat] = [Number(rows[0].lng), Number(rows[0].lat)];
		const posted = await threeOnesHttp.postMeeting(
			call('community_admin', {
				community_code: MINE,
				held_on: '2026-11-20',
				place: '桂园林社区党群服务中心',
				attendees: ['驻区单位代表'],
				attendee_codes: [],
				raised: [{ text: '江南小区路灯不亮', lng, lat }, { text: '垃圾清运不及时' }],
				resolved: [{ text: '楼道杂物当场清理' }],
				agreements: [{ text: '共建协议', parties: ['桂园林社区', '县住建局'] }]
			})
		);
		expect(posted.status).toBe(201);
		const id = JSON.parse(String(posted.body)).id;
		const made = await threeOnesHttp.postMatterCase(call('community_admin', { category: 'environment' }, { id: String(id), n: '1' }));
		expect(made.status).toBe(201);
		const code = JSON.parse(String(made.body)).code;
		const { rows: issue } = await t.db.knex.raw(`SELECT source, ST_X(geom) AS lng, ST_Y(geom) AS lat FROM issues WHERE code = :code`, { code });
		expect(issue[0].source).toBe('joint_meeting');
		expect(Number(issue[0].lng)).toBeCloseTo(lng, 9);
		expect(Number(issue[0].lat)).toBeCloseTo(lat, 9);
		const [status, message] = await refusal(() => threeOnesHttp.postMatterCase(call('community_admin', { category: 'environment' }, { id: String(id), n: '1' })));
		expect(status).toBe(409);
		expect(message).toContain(code);
		// The matter without a point needs one.
		const [noPoint, why] = await refusal(() => threeOnesHttp.postMatterCase(call('community_admin', { category: 'environment' }, { id: String(id), n: '2' })));
		expect([noPoint, why]).toEqual([400, expect.stringContaining('lng')]);
		const read = (await threeOnes.meeting(t.db.knex, users.community_admin, scopes.community_admin, id))!;
		expect(read.raised[0].case_code).toBe(code);
		expect(read.raised[1].case_code).toBeNull();
		expect(read.can_record).toBe(true);
		// Outside the territory the meeting does not exist.
		expect(await threeOnes.meeting(t.db.knex, users.grid_worker, { kind: 'territory', geojson: null, label: 'x' }, id)).toBeNull();
	});
});
