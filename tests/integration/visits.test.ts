/**
 * Visits, offline rain-alert checks, the building rows and card, and the phone's offline pack
 * (issue 13) on a real PostGIS with the sample: a visit recorded once however often (and
 * however concurrently) its key is resent; another user's key, a building outside the
 * territory and bad input refused with nothing written; coverage per grid against an
 * independent count for two months; the offline pack of demo-grid holding only its territory,
 * its tiles against turf and the slippy-map formulas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import { tileBbox, tileAt } from '../helpers/tiles.js';
import * as visits from '../../src/lib/server/field/visits.js';
import * as rain from '../../src/lib/server/flood/rain-alerts.js';
import * as flood from '../../src/lib/server/flood/flood.js';
import * as myBuildings from '../../src/lib/server/field/my-buildings.js';
import * as fieldHttp from '../../src/lib/server/http/field.js';
import * as rainHttp from '../../src/lib/server/http/rain-alerts.js';
import * as choropleth from '../../src/lib/server/areas/choropleth.js';
import { TILE_LAYERS, TILE_LAYER_NAMES } from '../../src/lib/server/tiles/tiles.js';
import { scopeFor, forgetTerritories, type Scope } from '../../src/lib/server/ownership/territory.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';
import type { Call } from '../../src/lib/server/http/endpoint.js';
import { isApiError } from '../../src/lib/server/platform/errors.js';

let t: TestDatabase;
const users: Record<string, User> = {};
const scopes: Record<string, Scope> = {};
/** Buildings of demo-grid's grid (by anchor in the territory, independently), and one far outside it. */
let mine: { code: string; lng: number; lat: number }[];
let foreign: { code: string; lng: number; lat: number };
/** demo-grid's territory, computed here from its assignments (DESIGN §2), not by the app */
const TERRITORY = `(SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id JOIN users u ON u.person_id = a.person_id
	WHERE u.username = 'demo-grid' AND a.role = 'grid_worker' AND a.valid_from <= current_date AND (a.valid_to IS NULL OR a.valid_to > current_date))`;

beforeAll(async () => {
	t = await createTestDatabase('sample');
	forgetTerritories();
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) {
		users[r.role] = r;
		scopes[r.role] = await scopeFor(t.db.knex, r);
	}
	const pick = async (where: string) =>
		(await t.db.knex.raw(`SELECT b.code, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b WHERE ${where} ORDER BY b.code`)).rows.map(
			(r: { code: string; lng: string; lat: string }) => ({ code: r.code, lng: Number(r.lng), lat: Number(r.lat) })
		);
	mine = await pick(`ST_Covers(${TERRITORY}, b.anchor)`);
	[foreign] = await pick(`NOT ST_DWithin(${TERRITORY}, b.anchor, 0.01)`);
	expect(mine.length).toBeGreaterThan(3);
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

const input = (over: Partial<visits.VisitInput> = {}): visits.VisitInput => ({
	building_code: mine[0].code,
	visited_at: new Date(Date.now() - 3_600_000),
	situation: 'normal',
	position: [mine[0].lng, mine[0].lat],
	photos: [],
	...over
});

/** A Call as endpoint() makes it, for handlers that read only who asks and the query. */
function callAs(role: string, query: Record<string, string> = {}, params: Record<string, string> = {}): Call {
	return {
		db: t.db,
		user: users[role] ?? null,
		scope: scopes[role] ?? { kind: 'outlines' },
		method: 'GET',
		path: '/',
		params,
		query: new URLSearchParams(query),
		origin: 'http://localhost',
		secure: false,
		header: () => null,
		body: async () => new Uint8Array(0),
		clientAddress: '127.0.0.1'
	};
}

describe('visits', () => {
	it('records a visit at the building grid, with its audit row', async () => {
		const audits = Number((await t.db.knex('audit_log').count({ n: '*' }))[0].n);
		const { visit, repeated } = await visits.create(t.db.knex, users.grid_worker, scopes.grid_worker, input({ household: '2-301', note: '独居老人，身体尚好' }));
		expect(repeated).toBe(false);
		expect(visit).toMatchObject({ building_code: mine[0].code, household: '2-301', situation: 'normal', visitor: 'demo-grid', photos: [] });
		expect(visit.code).toMatch(/^V\d{8}$/);
		const { rows } = await t.db.knex.raw(`SELECT g.code FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE b.code = :c`, { c: mine[0].code });
		expect(visit.grid_code).toBe(rows[0].code);
		expect([visit.lng, visit.lat]).toEqual([mine[0].lng, mine[0].lat]);
		expect(Number((await t.db.knex('audit_log').count({ n: '*' }))[0].n)).toBe(audits + 1);
	});

	it('records a key sent three times at once exactly once, and answers the same visit', async () => {
		const key = 'phone-1:visit-42';
		const results = await Promise.all([0, 1, 2].map(() => visits.create(t.db.knex, users.grid_worker, scopes.grid_worker, input({ idempotency_key: key, building_code: mine[1].code }))));
		expect(await t.db.knex('visits').where({ idempotency_key: key }).count({ n: '*' })).toEqual([{ n: '1' }]);
		expect(new Set(results.map((r) => r.visit.code)).size).toBe(1);
		expect(results.filter((r) => !r.repeated)).toHaveLength(1);
		const again = await visits.create(t.db.knex, users.grid_worker, scopes.grid_worker, input({ idempotency_key: key, building_code: mine[1].code }));
		expect(again).toEqual({ visit: results[0].visit, repeated: true });
		// Another user's send under the same key.
		expect((await refusal(() => visits.create(t.db.knex, users.admin, scopes.admin, input({ idempotency_key: key }))))[0]).toBe(409);
	});

	it('refuses a building outside the territory (403), an unknown one (404) and bad input (400 naming the field), writing nothing', async () => {
		const counts = await tableCounts(t.db);
		expect(await refusal(() => visits.create(t.db.knex, users.grid_worker, scopes.grid_worker, input({ building_code: foreign.code })))).toEqual([
			403,
			`building '${foreign.code}' lies outside your territory`
		]);
		expect((await refusal(() => visits.create(t.db.knex, users.grid_worker, scopes.grid_worker, input({ building_code: 'NO-SUCH' }))))[0]).toBe(404);
		expect((await refusal(() => visits.create(t.db.knex, users.grid_worker, scopes.grid_worker, input({ photos: ['not-a-token'] }))))).toEqual([400, 'photos[0] is not a photo you uploaded and have not used yet']);
		expect((await refusal(() => visits.create(t.db.knex, users.grid_worker, scopes.grid_worker, input({ issue_code: 'C99999999' }))))[0]).toBe(400);
		const body = { building_code: mine[0].code, visited_at: new Date().toISOString(), situation: 'normal' };
		const bad: [Record<string, unknown>, string][] = [
			[{ ...body, building_code: undefined }, 'building_code'],
			[{ ...body, visited_at: undefined }, 'visited_at'],
			[{ ...body, visited_at: '2026-13-01T00:00:00Z' }, 'visited_at'],
			[{ ...body, visited_at: new Date(Date.now() + 2 * 3600_000).toISOString() }, 'visited_at'],
			[{ ...body, visited_at: new Date(Date.now() - 32 * 86_400_000).toISOString() }, 'visited_at'],
			[{ ...body, situation: 'fine' }, 'situation'],
			[{ ...body, note: '<script>alert(1)</script>' }, 'note'],
			[{ ...body, lng: 105.8 }, 'lat'],
			[{ ...body, lng: 200, lat: 28 }, 'lng'],
			[{ ...body, photos: 'x' }, 'photos'],
			[{ ...body, household: 'x'.repeat(41) }, 'household']
		];
		for (const [b, field] of bad) {
			const [status, message] = await refusal(() => fieldHttp.visitInput(b));
			expect(status, JSON.stringify(b)).toBe(400);
			expect(message.startsWith(field), message).toBe(true);
		}
		expect(await tableCounts(t.db)).toEqual(counts);
	});

	it('lists the caller visits by building and month, territory applied', async () => {
		const month = visits.currentMonth();
		const listed = await visits.list(t.db.knex, scopes.grid_worker, { building: mine[0].code, month, limit: 100 });
		expect(listed.map((v) => v.building_code)).toEqual([mine[0].code]);
		expect(await visits.list(t.db.knex, scopes.community_admin, { building: mine[0].code, month: '2020-01', limit: 100 })).toEqual([]);
		// The planner reads everything.
		expect((await visits.list(t.db.knex, scopes.planner, { month, limit: 100 })).length).toBe(2);
	});

	it('counts coverage per grid as an independent count does, for two months', async () => {
		// Last month: two buildings of demo-grid's grid; one of them twice. This month: mine[0], mine[1] already.
		const now = new Date();
		const lastMonthDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 5 * 86_400_000);
		const month = visits.currentMonth();
		const last = visits.currentMonth(lastMonthDay);
		// Written directly: a month back may be older than an offline phone may send.
		const { rows: b } = await t.db.knex.raw(`SELECT id, grid_id, code FROM buildings WHERE code IN (:a, :b, :c) ORDER BY code`, { a: mine[1].code, b: mine[2].code, c: mine[3].code });
		for (const [i, row] of [b[0], b[1], b[1], b[2]].entries()) {
			await t.db.knex('visits').insert({ building_id: row.id, grid_id: row.grid_id, visited_at: new Date(lastMonthDay.getTime() + i * 3_600_000), situation: 'attention', visitor_user_id: users.admin.id });
		}
		// The last instant of last month, China time, counts there and not here.
		const edge = visits.monthBounds(month).from;
		await t.db.knex('visits').insert({ building_id: b[2].id, grid_id: b[2].grid_id, visited_at: new Date(edge.getTime() - 1000), situation: 'normal', visitor_user_id: users.admin.id });
		for (const m of [month, last]) {
			const ours = await visits.coverage(t.db.knex, { kind: 'all' }, 'grid', m);
			const { rows } = await t.db.knex.raw(
				`SELECT g.code, count(b.id)::int AS buildings,
					count(b.id) FILTER (WHERE b.id IN (SELECT v.building_id FROM visits v
						WHERE to_char(v.visited_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = :m))::int AS visited
				 FROM grids g LEFT JOIN buildings b ON b.grid_id = g.id GROUP BY g.code ORDER BY g.code`,
				{ m }
			);
			expect(ours.map((a) => [a.code, a.buildings, a.visited])).toEqual(rows.map((r: { code: string; buildings: number; visited: number }) => [r.code, r.buildings, r.visited]));
			expect(ours.reduce((n, a) => n + a.visited, 0)).toBe(m === month ? 2 : 3);
			const values = await choropleth.read(t.db.knex, 'grid', 'visit_coverage', { kind: 'all' }, m);
			expect(values.month).toBe(m);
			for (const a of ours) {
				const want = a.buildings > 0 ? Math.round((a.visited / a.buildings) * 10_000) / 100 : null;
				expect(values.values.find((v) => v.code === a.code)?.value).toBeCloseTo(want ?? NaN, 2);
			}
		}
	});
});

describe('rain-alert checks from an offline phone', () => {
	it('records a check resent three times at once exactly once, at the phone time and position', async () => {
		const target = mine[2];
		const at = turf.destination([target.lng, target.lat], 20, 90, { units: 'meters' }).geometry.coordinates;
		await flood.create(t.db.knex, users.planner, { name: '测试积水点', cause: 'low_lying', severity: 'high', geometry: JSON.stringify({ type: 'Point', coordinates: at }) });
		// Active spots only, so the alert covers the spot placed here, not the sample's monitored spot beside mine[0] (issue 21 counts those by default).
		const alert = await rain.start(t.db.knex, users.planner, '暴雨', { ...rain.defaultScope(100), spot_severities: { active: 'low' } });
		const checkedAt = new Date(Date.now() - 60_000);
		const send = () =>
			rain.check(t.db.knex, users.grid_worker, scopes.grid_worker, alert, target.code, {
				depth_cm: 0,
				note: null,
				checked_at: checkedAt,
				idempotency_key: 'phone-1:check-7',
				position: [target.lng, target.lat]
			});
		const results = await Promise.all([send(), send(), send()]);
		expect(results.filter((r) => !r.repeated)).toHaveLength(1);
		for (const r of results) expect(r).toMatchObject({ checked_at: checkedAt.toISOString(), checked_by: 'demo-grid' });
		expect((await send()).repeated).toBe(true);
		const rows = await t.db.knex('rain_alert_buildings').where({ rain_alert_id: alert }).whereNotNull('checked_at').select('checked_at', 'check_idempotency_key');
		expect(rows).toHaveLength(1);
		expect(new Date(rows[0].checked_at).toISOString()).toBe(checkedAt.toISOString());
		// Another key for the same building: the existing 409, saying who checked it when.
		expect(await refusal(() => rain.check(t.db.knex, users.admin, scopes.admin, alert, target.code, { depth_cm: 0, note: null, idempotency_key: 'other' }))).toEqual([
			409,
			`building '${target.code}' was already checked by demo-grid at ${checkedAt.toISOString()}`
		]);
		// The same key from another user.
		expect((await refusal(() => rain.check(t.db.knex, users.admin, scopes.admin, alert, target.code, { depth_cm: 0, note: null, idempotency_key: 'phone-1:check-7' })))[0]).toBe(409);
		expect((await refusal(() => rainHttp.checkInput({ building_code: target.code, checked_at: 'yesterday' })))[1]).toMatch(/^checked_at/);
	});
});

describe('my buildings and the building card', () => {
	it('gives each building its last visit, this month flag, missing heads, due rain check and bearing', async () => {
		const from: [number, number] = [mine[0].lng, mine[0].lat + 0.001];
		const rows = await myBuildings.list(t.db.knex, scopes.grid_worker, from, 1000);
		expect(rows.map((r) => r.code).sort()).toEqual(mine.map((m) => m.code).sort());
		const byCode = new Map(rows.map((r) => [r.code, r]));
		expect(byCode.get(mine[0].code)).toMatchObject({ visited_this_month: true });
		expect(byCode.get(mine[2].code)).toMatchObject({ visited_this_month: false });
		// The latest visit of mine[1], by an independent statement.
		const { rows: latest } = await t.db.knex.raw(`SELECT max(v.visited_at) AS at FROM visits v JOIN buildings b ON b.id = v.building_id WHERE b.code = :c`, { c: mine[1].code });
		expect(byCode.get(mine[1].code)!.last_visit_at).toBe(new Date(latest[0].at).toISOString());
		const never = rows.find((r) => !mine.slice(0, 4).some((m) => m.code === r.code));
		if (never) expect(never.last_visit_at).toBeNull();
		// Due: on the alert list, unchecked — by an independent statement.
		const { rows: due } = await t.db.knex.raw(
			`SELECT b.code FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id JOIN rain_alerts r ON r.id = rb.rain_alert_id
			 WHERE r.ended_at IS NULL AND rb.checked_at IS NULL`
		);
		const dueCodes = new Set(due.map((r: { code: string }) => r.code));
		const { rows: headless } = await t.db.knex.raw(
			`SELECT b.code FROM buildings b WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.building_id = b.id AND a.role = 'building_head' AND a.valid_to IS NULL)`
		);
		const headlessCodes = new Set(headless.map((r: { code: string }) => r.code));
		for (const r of rows) {
			expect(r.rain_check_due, r.code).toBe(dueCodes.has(r.code));
			expect(r.heads_missing, r.code).toBe(headlessCodes.has(r.code));
			const bearing = turf.bearing(turf.point(from), turf.point([r.lng, r.lat]));
			expect(Math.abs((((r.bearing_deg! - (bearing + 360)) % 360) + 540) % 360 - 180), r.code).toBeLessThan(0.5);
		}
		// Straight south of the position: 180°.
		expect(byCode.get(mine[0].code)!.bearing_deg).toBeCloseTo(180, 0);
		expect((await myBuildings.list(t.db.knex, scopes.grid_worker, null))[0].bearing_deg).toBeNull();
	});

	it('opens a card of the caller building, and 404 outside the territory', async () => {
		const card = JSON.parse(String((await fieldHttp.getCard(callAs('grid_worker', {}, { code: mine[0].code }))).body));
		expect(card).toMatchObject({ code: mine[0].code, rain_check_due: false, rain_alert_id: null });
		expect(card.last_visits[0]).toMatchObject({ household: '2-301', situation: 'normal', visitor: 'demo-grid' });
		expect((await refusal(() => fieldHttp.getCard(callAs('grid_worker', {}, { code: foreign.code }))))[0]).toBe(404);
		const due = JSON.parse(String((await fieldHttp.getCard(callAs('admin', {}, { code: mine[2].code }))).body));
		expect(due.rain_check_due).toBe(false); // checked above
	});
});

describe('the offline pack', () => {
	it('holds demo-grid territory only: buildings, cards and cases inside it, and its tiles', async () => {
		const reply = await fieldHttp.getOffline(callAs('grid_worker'));
		expect(reply.status).toBe(200);
		const pack = JSON.parse(String(reply.body));
		expect(pack.user).toEqual({ username: 'demo-grid', role: 'grid_worker' });
		const territory = (await t.db.knex.raw(`SELECT ST_AsGeoJSON(${TERRITORY})::json AS g`)).rows[0].g as Polygon | MultiPolygon;
		// Buildings: exactly those whose anchor lies in the territory (independent statement above).
		expect(pack.buildings.map((b: { code: string }) => b.code).sort()).toEqual(mine.map((m) => m.code).sort());
		expect(Object.keys(pack.cards).sort()).toEqual(mine.map((m) => m.code).sort());
		expect(pack.buildings[0]).not.toHaveProperty('distance_m');
		// Cases: exactly the open ones in the territory.
		const { rows: cases } = await t.db.knex.raw(
			`SELECT i.code FROM issues i WHERE ST_Covers(${TERRITORY}, i.geom) AND i.status NOT IN ('resolved', 'verified', 'closed', 'rejected') ORDER BY i.code`
		);
		expect(pack.open_cases.map((c: { code: string }) => c.code).sort()).toEqual(cases.map((r: { code: string }) => r.code));
		const cardCases: string[] = Object.values(pack.cards).flatMap((c) => (c as { open_cases: { code: string }[] }).open_cases.map((x) => x.code));
		for (const code of cardCases) expect(cases.map((r: { code: string }) => r.code)).toContain(code);
		// No data record of another grid: every point is inside, by turf.
		const poly = turf.feature(territory) as Feature<Polygon | MultiPolygon>;
		for (const b of pack.buildings) expect(turf.booleanPointInPolygon([b.lng, b.lat], poly), b.code).toBe(true);
		for (const c of pack.open_cases) expect(turf.booleanPointInPolygon([c.lng, c.lat], poly), c.code).toBe(true);
		for (const c of Object.values(pack.cards) as { lng: number; lat: number; code: string }[]) expect(turf.booleanPointInPolygon([c.lng, c.lat], poly), c.code).toBe(true);
		expect(pack.grids.length).toBeGreaterThan(0);
		expect(pack.rain_alert).toEqual(expect.any(Number));
		expect(pack.categories.length).toBeGreaterThan(0);

		// Tiles at z15, independently: every tile of the territory's bbox range that turf says intersects it.
		const [w, s, e, n] = turf.bbox(poly);
		for (const z of [15, 16]) {
			const [, x0, y0] = tileAt(w, n, z);
			const [, x1, y1] = tileAt(e, s, z);
			const want: string[] = [];
			for (let x = x0; x <= x1; x++)
				for (let y = y0; y <= y1; y++) if (turf.booleanIntersects(turf.bboxPolygon(tileBbox(z, x, y)), poly)) want.push(`${z}/${x}/${y}`);
			for (const layer of TILE_LAYER_NAMES) {
				const got = (pack.tiles as string[]).filter((p) => p.startsWith(`/tiles/${layer}/${z}/`)).map((p) => p.slice(`/tiles/${layer}/`.length, -'.pbf'.length));
				expect(got.sort(), `${layer} z${z}`).toEqual(want.sort());
			}
		}
		const zooms = (layer: string) => [...new Set((pack.tiles as string[]).filter((p) => p.startsWith(`/tiles/${layer}/`)).map((p) => Number(p.split('/')[3])))].sort((a, b) => a - b);
		for (const layer of TILE_LAYER_NAMES) {
			const from = Math.max(13, TILE_LAYERS[layer].minzoom);
			expect(zooms(layer), layer).toEqual(Array.from({ length: 17 - from }, (_, i) => from + i));
		}
	});

	it('is for field roles only', async () => {
		for (const role of ['planner', 'admin', 'housing', 'department']) expect((await refusal(() => fieldHttp.getOffline(callAs(role))))[0], role).toBe(403);
		expect((await refusal(() => fieldHttp.getOffline(callAs('nobody'))))[0]).toBe(401);
		for (const role of ['building_head', 'community_admin']) expect((await fieldHttp.getOffline(callAs(role))).status, role).toBe(200);
	});
});
