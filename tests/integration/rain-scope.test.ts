/**
 * The rain alert's scope as the planner chooses it (issue 21, point 1), on a real PostGIS with
 * the sample: which flood spots count (per status, from a severity; by default every active
 * spot and the monitored ones from 中度 up), the distance, a limit to grids or communities;
 * the preview that says what switching on would reach, and that the switch then reaches
 * exactly that; bad scopes refused with nothing written; only planners and admins.
 * Membership is checked against statements written out here, each spelling its rule as
 * literal SQL (the buffer's geometry itself is flood.test.ts's, against turf).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import { callHandler } from '../helpers/call.js';
import * as flood from '../../src/lib/server/flood/flood.js';
import * as rain from '../../src/lib/server/flood/rain-alerts.js';
import * as rainHttp from '../../src/lib/server/http/rain-alerts.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';

let t: TestDatabase;
const users: Record<string, User> = {};
/** demo-grid's grid, its community, and the worker's name as the preview shows it. */
let demo: { grid: string; gridName: string; community: string; worker: string };

beforeAll(async () => {
	t = await createTestDatabase('sample');
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) users[r.role] = r;
	const { rows: grid } = await t.db.knex.raw(
		`SELECT g.code, g.name, c.code AS community, p.name AS worker FROM assignments a JOIN grids g ON g.id = a.grid_id
		 JOIN communities c ON c.id = g.community_id JOIN people p ON p.id = a.person_id
		 WHERE a.person_id = :person AND a.role = 'grid_worker' AND a.valid_to IS NULL ORDER BY g.code LIMIT 1`,
		{ person: users.grid_worker.person_id }
	);
	demo = { grid: grid[0].code, gridName: grid[0].name, community: grid[0].community, worker: grid[0].worker };
}, 120_000);
afterAll(async () => {
	await t?.drop();
});

/** The codes of the buildings a scope reaches, by the module. */
async function reached(scope: rain.AlertScope): Promise<string[]> {
	const list = await rain.affectedBuildings(t.db.knex, scope);
	const codes = await t.db.knex('buildings').whereIn('id', list.map((b) => b.building_id)).pluck('code');
	return (codes as string[]).sort();
}

/** The codes of the buildings within `metres` of a spot the literal `rule` keeps, and the literal `where` on building b and grid g. */
async function reference(metres: number, rule: string, where = 'true'): Promise<string[]> {
	const { rows } = await t.db.knex.raw(
		`SELECT DISTINCT b.code FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id LEFT JOIN communities c ON c.id = g.community_id
		 JOIN flood_spots s ON ST_DWithin(b.anchor::geography, s.geom::geography, :metres)
		 WHERE (${rule}) AND (${where}) ORDER BY b.code`,
		{ metres }
	);
	return rows.map((r: { code: string }) => r.code);
}

const DEFAULT_RULE = `s.status = 'active' OR (s.status = 'monitoring' AND s.severity IN ('medium', 'high'))`;
const scope = (metres: number, spot_severities: rain.SpotSeverities = rain.DEFAULT_SPOT_SEVERITIES, areas: Partial<rain.AlertScope> = {}): rain.AlertScope => ({
	...rain.defaultScope(metres),
	spot_severities,
	...areas
});

describe('which flood spots a rain alert counts', () => {
	it('by default every active spot and the monitored ones from 中度 up: the spot beside demo-grid’s buildings counts, at 100 m and 1,500 m alike', async () => {
		for (const metres of [100, 1500]) {
			const codes = await reached(rain.defaultScope(metres));
			expect(codes).toEqual(await reference(metres, DEFAULT_RULE));
			const preview = await rain.preview(t.db.knex, rain.defaultScope(metres));
			expect(preview.buildings).toBe(codes.length);
			expect(preview.grids.map((g) => g.grid_code)).toContain(demo.grid);
			expect(preview.grid_workers.find((w) => w.name === demo.worker)?.grids).toContain(demo.gridName);
		}
		// Active spots alone (the rule before issue 21) leave demo-grid's grid out at both distances.
		for (const metres of [100, 1500]) {
			const preview = await rain.preview(t.db.knex, scope(metres, { active: 'low' }));
			expect(preview.grids.map((g) => g.grid_code)).not.toContain(demo.grid);
		}
	});

	it('counts a status from the chosen severity up, and no spot of a status left out', async () => {
		// A 轻度 monitored spot 20 m from a building with no other counted spot within 300 m.
		const { rows } = await t.db.knex.raw(
			`SELECT b.code, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b
			 WHERE NOT EXISTS (SELECT 1 FROM flood_spots s WHERE s.status <> 'fixed' AND ST_DWithin(b.anchor::geography, s.geom::geography, 300))
			 ORDER BY b.code LIMIT 1`
		);
		const lone = rows[0].code as string;
		const at = turf.destination([Number(rows[0].lng), Number(rows[0].lat)], 20, 60, { units: 'meters' }).geometry.coordinates;
		await flood.create(t.db.knex, users.planner, { name: '测试轻度积水点', cause: 'drainage', severity: 'low', status: 'monitoring', geometry: JSON.stringify({ type: 'Point', coordinates: at }) });

		expect(await reached(rain.defaultScope(100))).not.toContain(lone);
		expect(await reached(scope(100, { active: 'low', monitoring: 'low' }))).toContain(lone);
		const rules: [rain.SpotSeverities, string][] = [
			[{ active: 'low', monitoring: 'low' }, `s.status IN ('active', 'monitoring')`],
			[{ monitoring: 'high' }, `s.status = 'monitoring' AND s.severity = 'high'`],
			[{ active: 'medium', fixed: 'high' }, `(s.status = 'active' AND s.severity IN ('medium', 'high')) OR (s.status = 'fixed' AND s.severity = 'high')`]
		];
		for (const [severities, rule] of rules) {
			expect(await reached(scope(250, severities)), JSON.stringify(severities)).toEqual(await reference(250, rule));
		}
		// Monitored spots only from 严重: the 中度 spot beside demo-grid's buildings no longer counts.
		const high = await rain.preview(t.db.knex, scope(100, { active: 'low', monitoring: 'high' }));
		expect(high.grids.map((g) => g.grid_code)).not.toContain(demo.grid);
	});

	it('limited to grids or communities, reaches only their buildings, spots outside them included', async () => {
		const whole = await reference(400, DEFAULT_RULE);
		const inGrid = await reference(400, DEFAULT_RULE, `g.code = '${demo.grid}'`);
		const inCommunity = await reference(400, DEFAULT_RULE, `c.code = '${demo.community}'`);
		expect(inGrid.length).toBeGreaterThan(0);
		expect(inCommunity.length).toBeGreaterThan(inGrid.length);
		expect(await reached(scope(400, undefined, { grid_codes: [demo.grid] }))).toEqual(inGrid);
		expect(await reached(scope(400, undefined, { community_codes: [demo.community] }))).toEqual(inCommunity);
		// A grid of another community beside the community: the union of both.
		const other = whole.find((code) => !inCommunity.includes(code))!;
		const otherGrid = (await t.db.knex('buildings as b').join('grids as g', 'g.id', 'b.grid_id').where('b.code', other).first('g.code')).code as string;
		const both = await reference(400, DEFAULT_RULE, `c.code = '${demo.community}' OR g.code = '${otherGrid}'`);
		expect(await reached(scope(400, undefined, { community_codes: [demo.community], grid_codes: [otherGrid] }))).toEqual(both);
		const preview = await rain.preview(t.db.knex, scope(400, undefined, { grid_codes: [demo.grid] }));
		expect(preview.grids.map((g) => g.grid_code)).toEqual([demo.grid]);
		expect(preview.grid_workers.map((w) => w.name)).toEqual([demo.worker]);
	});
});

describe('the preview and the switch', () => {
	it('the alert reaches exactly what its preview said, stores the scope and leaves an audit row', async () => {
		const chosen = { metres: 150, spot_severities: { active: 'low', monitoring: 'medium' }, community_codes: [demo.community], grid_codes: [] };
		const preview = await callHandler(t.db, users.planner, rainHttp.postPreview, { method: 'POST', body: chosen });
		expect(preview.status).toBe(200);
		expect(preview.body.buildings).toBeGreaterThan(0);

		const started = await callHandler(t.db, users.planner, rainHttp.postAlert, { method: 'POST', body: { note: '预计今夜大暴雨', ...chosen } });
		expect(started.status).toBe(201);
		const id = started.body.id as number;
		expect(started.body).toMatchObject({ total: preview.body.buildings, checked: 0, covered_grids: preview.body.grids.length, ...chosen });

		const { rows } = await t.db.knex.raw(
			`SELECT count(*)::int AS buildings, sum(b.households)::int AS households, count(DISTINCT rb.grid_id)::int AS grids
			 FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id WHERE rb.rain_alert_id = :id`,
			{ id }
		);
		expect(rows[0]).toEqual({ buildings: preview.body.buildings, households: preview.body.households, grids: preview.body.grids.length });
		// The grid workers the frozen list names are the ones the preview named.
		const list = await rain.buildings(t.db.knex, users.admin, { kind: 'all' }, id);
		const named = [...new Set(list.flatMap((b) => b.grid_workers.map((p) => p.code)))].sort();
		expect(named).toEqual(preview.body.grid_workers.map((w: { code: string }) => w.code).sort());
		expect(preview.body.grid_workers.map((w: { name: string }) => w.name)).toContain(demo.worker);

		const audit = await t.db.knex('audit_log').where({ action: 'start_rain_alert', entity: `rain_alert:${id}` }).first('actor', 'detail');
		const detail = typeof audit.detail === 'string' ? JSON.parse(audit.detail) : audit.detail;
		expect(audit.actor).toBe('demo-planner');
		expect(detail).toMatchObject({ ...chosen, buildings: preview.body.buildings });

		// The grid worker sees how many grids it covers, whether or not theirs is one.
		const mine = await callHandler(t.db, users.grid_worker, rainHttp.getAlerts);
		expect(mine.body.current).toMatchObject({ id, covered_grids: preview.body.grids.length });
		await rain.end(t.db.knex, users.planner, id);
	});

	it('refuses a scope that is wrong, naming the field, and writes nothing', async () => {
		const counts = await tableCounts(t.db);
		const bad: [unknown, string][] = [
			[{ spot_severities: { active: 'severe' } }, 'spot_severities.active must be one of low, medium, high or null, got "severe"'],
			[{ spot_severities: { flooded: 'low' } }, 'spot_severities.flooded is not a flood spot status: use active, monitoring, fixed'],
			[{ spot_severities: { active: null, monitoring: null } }, 'spot_severities counts no flood spot: give at least one status a severity'],
			[{ spot_severities: ['active'] }, 'spot_severities must be an object: per status (active, monitoring, fixed) the lowest severity that counts, or null'],
			[{ grid_codes: ['NO-SUCH-GRID', demo.grid] }, 'grid_codes names no grid: NO-SUCH-GRID'],
			[{ community_codes: ['000'] }, 'community_codes names no community: 000'],
			[{ community_codes: demo.community }, 'community_codes must be a list'],
			[{ metres: 5000 }, 'metres must be between 1 and 2000, got 5000']
		];
		for (const [body, message] of bad) {
			for (const handler of [rainHttp.postPreview, rainHttp.postAlert]) {
				const answer = await callHandler(t.db, users.planner, handler, { method: 'POST', body: { note: '暴雨', ...(body as object) } });
				expect([answer.status, answer.body.message], JSON.stringify(body)).toEqual([400, message]);
			}
		}
		expect(await tableCounts(t.db)).toEqual(counts);
		expect(await t.db.knex('rain_alerts').whereNull('ended_at').count({ n: '*' })).toEqual([{ n: '0' }]);
	});

	it('is for planners and admins only: others are refused before anything is read or written', async () => {
		const counts = await tableCounts(t.db);
		for (const role of ['grid_worker', 'community_admin', 'housing', 'department', 'building_head']) {
			for (const handler of [rainHttp.postPreview, rainHttp.postAlert]) {
				const answer = await callHandler(t.db, users[role], handler, { method: 'POST', body: { note: '暴雨' } });
				expect(answer.status, `${role} ${handler.name}`).toBe(403);
			}
		}
		expect((await callHandler(t.db, null, rainHttp.postPreview, { method: 'POST', body: {} })).status).toBe(401);
		expect(await tableCounts(t.db)).toEqual(counts);
		expect((await callHandler(t.db, users.admin, rainHttp.postPreview, { method: 'POST', body: {} })).status).toBe(200);
	});
});

describe('the sample', () => {
	it('puts a spot the default alert counts beside demo-grid’s buildings, and places one should the generator lose it', async () => {
		const { ensureDemoFloodSpot } = await import('../../db/seeds/demo-flood.js');
		const reachesDemo = async () => (await rain.preview(t.db.knex, rain.defaultScope(100))).grids.some((g) => g.grid_code === demo.grid);
		expect(await reachesDemo()).toBe(true);
		expect(await ensureDemoFloodSpot(t.db.knex)).toBe(0);
		// The generator's spot gone (fixed): the seed step places one, 10 m from the grid's first building.
		await t.db.knex.raw(
			`UPDATE flood_spots s SET status = 'fixed' FROM grids g WHERE g.code = :grid AND s.status <> 'fixed' AND ST_DWithin(s.geom::geography, g.geom::geography, 100)`,
			{ grid: demo.grid }
		);
		expect(await reachesDemo()).toBe(false);
		expect(await ensureDemoFloodSpot(t.db.knex)).toBe(1);
		expect(await reachesDemo()).toBe(true);
		const { rows } = await t.db.knex.raw(
			`SELECT s.status, s.severity, round(ST_Distance(s.geom::geography, b.anchor::geography)) AS metres FROM flood_spots s
			 JOIN buildings b ON b.code = (SELECT min(b2.code) FROM buildings b2 JOIN grids g ON g.id = b2.grid_id WHERE g.code = :grid)
			 ORDER BY s.id DESC LIMIT 1`,
			{ grid: demo.grid }
		);
		expect(rows[0]).toMatchObject({ status: 'monitoring', severity: 'medium', metres: 10 });
	});
});
