/**
 * Flood spots and rain alerts on a real PostGIS (issue 11 items 3 and 4): the alert's buffer
 * against turf's distances (an independent reference, on a sphere) to within 1 m at its edge;
 * the frozen list of the sample with each building once under the grid worker of its grid;
 * checking a building off with a depth making a flood incident and moving the progress; bad
 * checks refused with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import type { Feature, Point, Polygon, MultiPolygon } from 'geojson';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import * as flood from '../../src/lib/server/flood/flood.js';
import * as rain from '../../src/lib/server/flood/rain-alerts.js';
import * as rainHttp from '../../src/lib/server/http/rain-alerts.js';
import { scopeFor } from '../../src/lib/server/ownership/territory.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';
import { isApiError } from '../../src/lib/server/platform/errors.js';

let t: TestDatabase;
const users: Record<string, User> = {};
/** A building of demo-grid's grid, and one of another grid. */
let mine: { code: string; lng: number; lat: number };

beforeAll(async () => {
	t = await createTestDatabase('sample');
	const rows = await t.db.knex('users').whereLike('username', 'demo-%').select('id', 'username', 'role', 'person_id', 'department_id');
	for (const r of rows) users[r.role] = r;
	const pick = async (inside: boolean) => {
		const { rows } = await t.db.knex.raw(
			`SELECT b.code, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b
			 WHERE (b.grid_id IN (SELECT a.grid_id FROM assignments a WHERE a.person_id = :person AND a.role = 'grid_worker' AND a.valid_to IS NULL)) = :inside
			 ORDER BY b.code LIMIT 1`,
			{ person: users.grid_worker.person_id, inside }
		);
		return { code: rows[0].code as string, lng: Number(rows[0].lng), lat: Number(rows[0].lat) };
	};
	mine = await pick(true);
}, 120_000);
afterAll(async () => {
	await t?.drop();
});

const point = (lng: number, lat: number): Point => ({ type: 'Point', coordinates: [lng, lat] });

/** Metres from a building anchor to the nearest active spot, by turf (haversine; point-to-polygon). */
async function turfDistances(): Promise<Map<string, number>> {
	const spots = await t.db.knex.raw(`SELECT ST_AsGeoJSON(geom)::json AS g FROM flood_spots WHERE status = 'active'`);
	const geoms = spots.rows.map((r: { g: Point | Polygon | MultiPolygon }) => r.g);
	const anchors = await t.db.knex.raw(`SELECT code, ST_X(anchor) AS lng, ST_Y(anchor) AS lat FROM buildings`);
	const out = new Map<string, number>();
	for (const b of anchors.rows) {
		const p = turf.point([Number(b.lng), Number(b.lat)]);
		let best = Infinity;
		for (const g of geoms) {
			const d =
				g.type === 'Point'
					? turf.distance(p, turf.point(g.coordinates), { units: 'meters' })
					: Math.max(0, turf.pointToPolygonDistance(p, g as Polygon | MultiPolygon, { units: 'meters' }));
			best = Math.min(best, d);
		}
		out.set(b.code, best);
	}
	return out;
}

/** The buildings within `metres` of an active spot of any severity: the buffer's geometry, whichever spots an alert counts. */
async function members(metres: number): Promise<Map<string, number>> {
	const list = await rain.affectedBuildings(t.db.knex, { ...rain.defaultScope(metres), spot_severities: { active: 'low' } });
	const codes = await t.db.knex('buildings').whereIn('id', list.map((b) => b.building_id)).select('id', 'code');
	const byId = new Map(codes.map((c) => [c.id, c.code as string]));
	return new Map(list.map((b) => [byId.get(b.building_id)!, b.distance_m]));
}

describe('flood spots', () => {
	it('are created, edited and given incidents in a transaction with an audit row; grid workers only inside their grids', async () => {
		const audits = async () => Number((await t.db.knex('audit_log').whereLike('entity', 'flood_spot:%').count({ n: '*' }))[0].n);
		const before = await audits();
		const near = turf.destination([mine.lng, mine.lat], 10, 0, { units: 'meters' }).geometry.coordinates;
		const code = await flood.create(t.db.knex, users.housing, { name: '地下车库入口', cause: 'backflow', severity: 'medium', status: 'monitoring', geometry: JSON.stringify(point(near[0], near[1])) });
		const project = await t.db.knex('renovation_projects').orderBy('code').first('code');
		await flood.update(t.db.knex, users.planner, code, { severity: 'high', project_code: project.code });
		const worker = users.grid_worker;
		const scope = await scopeFor(t.db.knex, worker);
		await flood.addIncident(t.db.knex, worker, scope, code, { occurred_on: '2026-07-01', depth_cm: 25, rainfall_mm: 88.5, note: null });
		const record = await flood.read(t.db.knex, scope, code);
		expect(record).toMatchObject({ severity: 'high', status: 'monitoring', project_code: project.code, incident_count: 1 });
		expect(record!.incidents.map((i) => [i.occurred_on, i.depth_cm, i.rainfall_mm])).toEqual([['2026-07-01', 25, 88.5]]);
		expect(await audits()).toBe(before + 3);

		// A spot outside the worker's grids: a 403, and nothing written.
		const far = await t.db.knex.raw(`SELECT s.code FROM flood_spots s WHERE NOT ST_Intersects(s.geom, ST_GeomFromGeoJSON(:t)) ORDER BY s.code LIMIT 1`, { t: (scope as { geojson: string }).geojson });
		const counts = await tableCounts(t.db);
		await expect(flood.addIncident(t.db.knex, worker, scope, far.rows[0].code, { occurred_on: '2026-07-01', depth_cm: 5, rainfall_mm: null, note: null })).rejects.toMatchObject({ status: 403 });
		await expect(flood.update(t.db.knex, users.planner, code, { issue_code: 'NO-SUCH-ISSUE', severity: 'low' })).rejects.toMatchObject({ status: 400 });
		await expect(flood.update(t.db.knex, users.planner, 'F9999', { severity: 'low' })).rejects.toMatchObject({ status: 404 });
		expect(await tableCounts(t.db)).toEqual(counts);
		// Created as monitoring: not active, so no rain alert lists buildings for it.
		await flood.update(t.db.knex, users.planner, code, { status: 'fixed' });
	});
});

describe('the buffer of active spots', () => {
	it('agrees with turf to within 1 m at the edge, for point and polygon spots', async () => {
		const admin = users.admin;
		// Spots placed so buildings sit just inside and just outside 100 m (by turf): points at
		// 99.4 and 100.6 m of four buildings, and a square whose near side is 99.5 m north of one.
		const { rows } = await t.db.knex.raw(`SELECT code, ST_X(anchor) AS lng, ST_Y(anchor) AS lat FROM buildings ORDER BY md5(code) LIMIT 5`);
		const edge = [99.4, 100.6, 99.4, 100.6];
		for (let i = 0; i < 4; i++) {
			const at = turf.destination([Number(rows[i].lng), Number(rows[i].lat)], edge[i], 45 + 90 * i, { units: 'meters' }).geometry.coordinates;
			await flood.create(t.db.knex, admin, { name: `边缘点${i}`, cause: 'drainage', severity: 'low', geometry: JSON.stringify(point(at[0], at[1])) });
		}
		const base = [Number(rows[4].lng), Number(rows[4].lat)];
		const south = turf.destination(base, 99.5, 0, { units: 'meters' }).geometry.coordinates[1];
		const north = turf.destination(base, 149.5, 0, { units: 'meters' }).geometry.coordinates[1];
		const half = turf.destination(base, 25, 90, { units: 'meters' }).geometry.coordinates[0] - base[0];
		const square: Polygon = { type: 'Polygon', coordinates: [[[base[0] - half, south], [base[0] + half, south], [base[0] + half, north], [base[0] - half, north], [base[0] - half, south]]] };
		await flood.create(t.db.knex, admin, { name: '边缘面', cause: 'low_lying', severity: 'medium', geometry: JSON.stringify(square) });

		const reference = await turfDistances();
		for (const metres of [100, 60, 250]) {
			const inside = await members(metres);
			let near = 0;
			for (const [code, d] of reference) {
				if (d < metres - 1) expect(inside.has(code), `${code} at ${d.toFixed(2)} m, buffer ${metres}`).toBe(true);
				if (d > metres + 1) expect(inside.has(code), `${code} at ${d.toFixed(2)} m, buffer ${metres}`).toBe(false);
				if (inside.has(code)) expect(Math.abs(inside.get(code)! - d), `${code} distance`).toBeLessThan(1);
				if (Math.abs(d - metres) <= 1) near++;
			}
			if (metres === 100) {
				// The five placed buildings sit within a metre of the edge, on the side turf says.
				expect(near).toBeGreaterThanOrEqual(5);
				for (let i = 0; i < 5; i++) expect(inside.has(rows[i].code), rows[i].code).toBe(i === 4 || edge[i] < 100);
			}
		}
	});
});

describe('a rain alert on the sample', () => {
	let alert: number;
	it('freezes each affected building once, under the grid worker(s) of the grid it lies in', async () => {
		// An active spot 30 m from a building of demo-grid's grid, so that worker has work.
		const at = turf.destination([mine.lng, mine.lat], 30, 200, { units: 'meters' }).geometry.coordinates;
		await flood.create(t.db.knex, users.planner, { name: '测试积水点', cause: 'low_lying', severity: 'high', geometry: JSON.stringify(point(at[0], at[1])) });
		const expected = await rain.affectedBuildings(t.db.knex, 100);
		alert = await rain.start(t.db.knex, users.planner, '预计未来24小时降雨80毫米', 100);
		await expect(rain.start(t.db.knex, users.admin, '第二次', 100)).rejects.toMatchObject({ status: 409 });

		const list = await rain.buildings(t.db.knex, users.admin, await scopeFor(t.db.knex, users.admin), alert);
		expect(list.length).toBe(expected.length);
		expect(new Set(list.map((b) => b.building_code)).size).toBe(list.length);
		expect(list.map((b) => b.building_code)).toContain(mine.code);
		// The grid and its worker(s) by an independent statement: buildings.grid_id, held today.
		const { rows } = await t.db.knex.raw(`
			SELECT b.code, g.code AS grid, COALESCE((SELECT string_agg(p.code, ',' ORDER BY p.code) FROM assignments a JOIN people p ON p.id = a.person_id
				WHERE a.role = 'grid_worker' AND a.grid_id = b.grid_id AND a.valid_from <= current_date AND (a.valid_to IS NULL OR a.valid_to > current_date)), '') AS workers
			FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id`);
		const truth = new Map(rows.map((r: { code: string; grid: string; workers: string }) => [r.code, r]));
		for (const b of list) {
			const want = truth.get(b.building_code) as { grid: string; workers: string };
			expect(b.grid_code).toBe(want.grid);
			expect(b.grid_workers.map((p) => p.code).join(',')).toBe(want.workers);
		}
		const grids = rain.byGrid(list);
		expect(grids.reduce((n, g) => n + g.buildings.length, 0)).toBe(list.length);
		expect(new Set(grids.map((g) => g.grid_code)).size).toBe(grids.length);

		// The grid worker sees their grid's buildings only.
		const worker = users.grid_worker;
		const theirs = await rain.buildings(t.db.knex, worker, await scopeFor(t.db.knex, worker), alert);
		const workerCode = (await t.db.knex('people').where({ id: worker.person_id }).first('code')).code;
		expect(theirs.length).toBeGreaterThan(0);
		for (const b of theirs) expect(b.grid_workers.map((p) => p.code)).toContain(workerCode);
		expect(theirs.length).toBe(list.filter((b) => b.grid_workers.some((p) => p.code === workerCode)).length);
	});

	it('checks a building off with a depth: a flood incident of the nearest spot, active or the one it was listed for, and the progress moves', async () => {
		const worker = users.grid_worker;
		const scope = await scopeFor(t.db.knex, worker);
		const before = await rain.progress(t.db.knex, users.planner, { kind: 'all' }, alert);
		const incidents = Number((await t.db.knex('flood_incidents').count({ n: '*' }))[0].n);
		const result = await rain.check(t.db.knex, worker, scope, alert, mine.code, { depth_cm: 12, note: '地下车库入口' });
		expect(result.flood_spot_code).not.toBeNull();
		expect(Number((await t.db.knex('flood_incidents').count({ n: '*' }))[0].n)).toBe(incidents + 1);
		const incident = await t.db.knex('flood_incidents').where({ id: result.flood_incident_id }).first();
		expect(incident.depth_cm).toBe(12);
		// The nearest of the active spots and the one the building was listed for, by an independent statement
		// (issue 21: a monitored spot beside the building now lists it, and its water belongs to that spot).
		const { rows } = await t.db.knex.raw(
			`SELECT s.code FROM flood_spots s, buildings b WHERE b.code = :b
				AND (s.status = 'active' OR s.id = (SELECT rb.flood_spot_id FROM rain_alert_buildings rb WHERE rb.rain_alert_id = :alert AND rb.building_id = b.id))
			 ORDER BY ST_Distance(s.geom::geography, b.anchor::geography) LIMIT 1`,
			{ b: mine.code, alert }
		);
		expect(result.flood_spot_code).toBe(rows[0].code);
		const after = await rain.progress(t.db.knex, users.planner, { kind: 'all' }, alert);
		const grid = list(after).find((g) => g.checked > 0)!;
		const was = list(before).find((g) => g.grid_code === grid.grid_code)!;
		expect([grid.checked, grid.total]).toEqual([was.checked + 1, was.total]);
		expect(after.reduce((n, g) => n + g.checked, 0)).toBe(1);
		const [summary] = await rain.alerts(t.db.knex, users.planner, { kind: 'all' }, alert);
		expect(summary.checked).toBe(1);
		const geojson = (await rain.progressGeojson(t.db.knex, users.planner, { kind: 'all' }, alert)) as { features: Feature[] };
		expect(geojson.features.find((f) => f.id === grid.grid_code)?.properties).toMatchObject({ checked: 1, total: grid.total });
	});

	it('refuses a negative depth, an unknown building, a building outside the worker grids and a second check, writing nothing', async () => {
		const worker = users.grid_worker;
		const scope = await scopeFor(t.db.knex, worker);
		const counts = await tableCounts(t.db);
		const checked = await t.db.knex('rain_alert_buildings').whereNotNull('checked_at').count({ n: '*' });
		const status = async (work: () => unknown) => {
			try {
				await work();
			} catch (e) {
				if (isApiError(e)) return [e.status, e.message];
				throw e;
			}
			return [200, ''];
		};
		expect(await status(() => rainHttp.checkInput({ building_code: mine.code, depth_cm: -5 }))).toEqual([400, 'depth_cm must be a whole number from 0 to 500, got \'-5\'']);
		expect((await status(() => rain.check(t.db.knex, worker, scope, alert, 'NO-SUCH-BUILDING', { depth_cm: 3, note: null })))[0]).toBe(404);
		// A building of another grid: on the list, but not the worker's.
		const list = await rain.buildings(t.db.knex, users.admin, { kind: 'all' }, alert);
		const myGrid = list.find((b) => b.building_code === mine.code)!.grid_code;
		const foreign = list.find((b) => b.grid_code !== myGrid && !b.checked_at);
		expect(foreign).toBeDefined();
		expect(await status(() => rain.check(t.db.knex, worker, scope, alert, foreign!.building_code, { depth_cm: 3, note: null }))).toEqual([403, `building '${foreign!.building_code}' lies outside your grids`]);
		expect((await status(() => rain.check(t.db.knex, worker, scope, alert, mine.code, { depth_cm: 3, note: null })))[0]).toBe(409);
		expect(await tableCounts(t.db)).toEqual(counts);
		expect(await t.db.knex('rain_alert_buildings').whereNotNull('checked_at').count({ n: '*' })).toEqual(checked);
	});
});

const list = <T>(x: T[]) => x;
