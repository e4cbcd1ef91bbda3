/**
 * The embedded database (PGlite + PostGIS) and the PostGIS server run the same migrations,
 * loader and core queries; this suite runs them on both and compares the answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, migrate, type Database } from '../../src/lib/server/platform/db.js';
import { loadSample, SAMPLE_DEFAULTS } from '../../db/seeds/sample.js';
import * as stats from '../../src/lib/server/platform/stats.js';
import { importGeoJson } from '../../src/lib/server/areas/imports.js';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import * as tiles from '../../src/lib/server/tiles/tiles.js';
import * as ownership from '../../src/lib/server/ownership/ownership.js';
import { parseJson } from '../../src/lib/server/platform/json-text.js';
import * as coverage from '../../src/lib/server/areas/coverage.js';
import * as areas from '../../src/lib/server/areas/areas.js';
import { rederiveBuildings } from '../../src/lib/server/areas/derivation.js';
import { decode, sampleTiles } from '../helpers/tiles.js';
import * as signInLimits from '../../src/lib/server/accounts/sign-in-limits.js';
import { systemAdmin } from '../../src/lib/server/accounts/accounts.js';
import * as rainAlerts from '../../src/lib/server/flood/rain-alerts.js';

let server: TestDatabase;
let embedded: Database;

beforeAll(async () => {
	server = await createTestDatabase('sample');
	embedded = await openDatabase({ dataDir: ':memory:' });
	await migrate(embedded.knex);
	await loadSample(embedded, SAMPLE_DEFAULTS);
}, 180_000);

afterAll(async () => {
	await embedded?.close();
	await server?.drop();
});

const both = async <T>(query: (db: Database) => Promise<T>): Promise<[T, T]> => [
	await query(server.db),
	await query(embedded)
];
const rows = (db: Database, sql: string, bindings: unknown[] = []) =>
	db.knex.raw(sql, bindings as never).then((r: { rows: unknown[] }) => r.rows);

describe('embedded and server PostGIS agree', () => {
	it('on the embedded side it is really PostGIS', async () => {
		expect(embedded.backend).toBe('embedded');
		const [a, b] = await both((db) => rows(db, 'SELECT postgis_lib_version() AS v'));
		expect((a[0] as { v: string }).v).toMatch(/^3\./);
		expect((b[0] as { v: string }).v).toMatch(/^3\./);
	});

	it('on the counts of every table', async () => {
		const [a, b] = await both((db) => tableCounts(db));
		expect(b).toEqual(a);
		const [sa, sb] = await both((db) => stats.read(db.knex));
		expect(sb).toEqual(sa);
	});

	it('on the grid and compound each building derives from its footprint', async () => {
		const [a, b] = await both((db) =>
			rows(
				db,
				`SELECT b.code, g.code AS grid, c.code AS compound
				 FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id LEFT JOIN compounds c ON c.id = b.compound_id
				 ORDER BY b.code`
			)
		);
		expect(b).toEqual(a);
		expect(a.every((r) => (r as { grid: string | null }).grid !== null)).toBe(true);
	});

	it('on issues per community by point in polygon', async () => {
		const [a, b] = await both((db) =>
			rows(
				db,
				`SELECT c.code, count(i.id)::int AS issues
				 FROM communities c LEFT JOIN issues i ON ST_Covers(c.geom, i.geom)
				 GROUP BY c.code ORDER BY c.code`
			)
		);
		expect(b).toEqual(a);
	});

	it('on the county area in km² and on validity reasons', async () => {
		const sql = `SELECT round((ST_Area(geom::geography) / 1e6)::numeric, 3)::text AS km2,
			ST_IsValidReason(ST_GeomFromText('POLYGON((0 0,1 1,1 0,0 1,0 0))')) AS reason FROM county`;
		const [a, b] = await both((db) => rows(db, sql));
		expect(b).toEqual(a);
		const km2 = Number((a[0] as { km2: string }).km2);
		expect(km2).toBeGreaterThan(2400);
		expect(km2).toBeLessThan(2430);
	});

	it('on an import: the same rejection, then the same accepted write', async () => {
		const bad = JSON.stringify({
			type: 'Feature',
			properties: { code: 'E-1', name: '坏', street_code: '510522001000' },
			geometry: { type: 'Polygon', coordinates: [[[105.9, 28.9], [105.91, 28.91], [105.91, 28.9], [105.9, 28.91], [105.9, 28.9]]] }
		});
		const [ra, rb] = await both((db) => importGeoJson(db, bad, { layer: 'communities', crs: 'wgs84' }));
		expect(rb).toEqual(ra);
		expect(ra.ok).toBe(false);
		const good = bad.replace('[105.91,28.91],[105.91,28.9]', '[105.91,28.9],[105.91,28.91]');
		const [ga, gb] = await both((db) => importGeoJson(db, good, { layer: 'communities', crs: 'gcj02' }));
		expect(gb).toEqual(ga);
		expect(ga.ok).toBe(true);
		const [wa, wb] = await both((db) =>
			rows(db, `SELECT ST_AsText(geom, 7) AS wkt FROM communities WHERE code = 'E-1'`)
		);
		expect(wb).toEqual(wa);
	});

	it('on vector tiles: the embedded encoder gives the features ST_AsMVT gives', async () => {
		const list = await sampleTiles(server.db);
		let features = 0;
		for (const name of tiles.TILE_LAYER_NAMES) {
			for (const [z, x, y] of list) {
				const a = decode(await tiles.render(server.db, name, z, x, y), name);
				const b = decode(await tiles.render(embedded, name, z, x, y), name);
				expect(b.map((f) => f.id), `${name} ${z}/${x}/${y}`).toEqual(a.map((f) => f.id));
				expect(b.map((f) => f.properties)).toEqual(a.map((f) => f.properties));
				a.forEach((f, i) => f.bbox.forEach((v, k) => expect(Math.abs(v - b[i].bbox[k])).toBeLessThanOrEqual(2)));
				features += a.length;
			}
		}
		expect(features).toBeGreaterThan(100);
	});

	it('on owner(point), area summaries, the coverage report and bulk re-derivation', async () => {
		const { rows } = await server.db.knex.raw(
			`SELECT ST_X(anchor) AS lng, ST_Y(anchor) AS lat FROM buildings ORDER BY code LIMIT 50`
		);
		const points: [number, number][] = rows.map((r: { lng: number; lat: number }) => [r.lng + 0.001, r.lat - 0.0007]);
		points.push([105.806, 28.81], [0, 0]);
		const [oa, ob] = await both(async (db) => (await ownership.owners(db.knex, points, { scope: { kind: 'all' } })).map((o) => parseJson(o)));
		expect(ob).toEqual(oa);
		const [sa, sb] = await both(async (db) => parseJson(await areas.summary(db.knex, 'community', '510522100006')));
		expect(sb).toEqual(sa);
		const [ca, cb] = await both((db) => coverage.report(db.knex));
		expect(cb).toEqual(ca);
		const [ra, rb] = await both((db) => rederiveBuildings(db.knex));
		expect([ra, rb]).toEqual([0, 0]);
	});

	it('on what a rain alert’s scope reaches: the preview, for the default and for a limited scope (issue 21)', async () => {
		const limited: rainAlerts.AlertScope = { ...rainAlerts.defaultScope(400), spot_severities: { active: 'medium', monitoring: 'low' }, community_codes: ['510522100006'] };
		for (const scope of [rainAlerts.defaultScope(100), limited]) {
			const [a, b] = await both((db) => rainAlerts.preview(db.knex, scope));
			expect(b).toEqual(a);
			expect(a.buildings).toBeGreaterThan(0);
		}
	});

	it('on sign-in limits: the same failures make the same waits, and an unlock clears them', async () => {
		const [a, b] = await both(async (db) => {
			const attempt = { username: 'demo-grid', address: '192.0.2.1', device: null };
			const steps: [string, string[] | null][] = [];
			for (let i = 0; i < 6; i++) {
				const admission = await signInLimits.admit(db.knex, attempt);
				if ('wait' in admission) steps.push(['wait', admission.wait.keys]);
				else steps.push(['failed', (await signInLimits.failed(db.knex, attempt))?.keys ?? null]);
			}
			const locked = (await signInLimits.list(db.knex)).accounts.find((x) => x.username === 'demo-grid')!;
			const unlocked = await signInLimits.unlockAccount(db.knex, systemAdmin(), 'demo-grid');
			const after = (await signInLimits.list(db.knex)).accounts.find((x) => x.username === 'demo-grid')!;
			return { steps, failures: locked.failures, locked: locked.locked_until !== null, unlocked, after: [after.failures, after.locked_until] };
		});
		expect(b).toEqual(a);
		expect(a).toEqual({
			steps: [...Array(4).fill(['failed', null]), ['failed', ['account_address']], ['wait', ['account_address']]],
			failures: 5,
			locked: true,
			unlocked: { username: 'demo-grid', cleared: 5 },
			after: [0, null]
		});
	});
});
