/**
 * The import on a real PostGIS: every kind of bad input is rejected with the feature index
 * and reason, and no table changes; good input lands, re-imports update, GCJ-02 converts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import { importGeoJson, type ImportOptions } from '../../src/lib/server/imports.js';
import { wgs84ToGcj02 } from '../../src/lib/geo/crs.js';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('sample');
});
afterAll(async () => {
	await t?.drop();
});

const FUYANG = '510522001000'; // 符阳街道, in the sample

/** A square community of `size` degrees at (lng, lat), parent 符阳街道. */
function community(code: string, lng: number, lat: number, size = 0.002, extra: Record<string, unknown> = {}) {
	return {
		type: 'Feature',
		properties: { code, name: `测试社区${code}`, street_code: FUYANG, ...extra },
		geometry: {
			type: 'Polygon',
			coordinates: [[[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]]
		}
	};
}
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

async function expectRejected(text: string, index: number | null, reason: RegExp, opts: Partial<ImportOptions> = {}) {
	const before = await tableCounts(t.db);
	const result = await importGeoJson(t.db, text, { layer: 'communities', crs: 'wgs84', ...opts });
	expect(result.ok).toBe(false);
	if (result.ok) return;
	if (index === null) {
		expect(result.error).toMatch(reason);
	} else {
		expect(result.problems.map((p) => p.index)).toContain(index);
		expect(result.problems.find((p) => p.index === index)!.reason).toMatch(reason);
		// The good feature at index 0 is not blamed.
		expect(result.problems.map((p) => p.index)).not.toContain(0);
	}
	expect(await tableCounts(t.db)).toEqual(before);
}

/** A file whose feature 0 is good and feature 1 has the given geometry (as raw JSON text). */
function withBadSecond(geometryJson: string): string {
	const good = JSON.stringify(community('T-GOOD', 105.9, 28.9));
	return `{"type":"FeatureCollection","features":[${good},{"type":"Feature","properties":{"code":"T-BAD","name":"坏","street_code":"${FUYANG}"},"geometry":${geometryJson}}]}`;
}

describe('rejects bad input, naming the feature and the reason, writing nothing', () => {
	it('an unclosed ring', async () => {
		await expectRejected(
			withBadSecond('{"type":"Polygon","coordinates":[[[105.9,28.9],[105.91,28.9],[105.91,28.91],[105.9,28.91]]]}'),
			1,
			/not closed/
		);
	});
	it('a ring of 3 positions', async () => {
		await expectRejected(
			withBadSecond('{"type":"Polygon","coordinates":[[[105.9,28.9],[105.91,28.9],[105.9,28.9]]]}'),
			1,
			/3 positions/
		);
	});
	it('a bow-tie (self-intersection, as PostGIS reports it)', async () => {
		await expectRejected(
			withBadSecond(
				'{"type":"Polygon","coordinates":[[[105.9,28.9],[105.91,28.91],[105.91,28.9],[105.9,28.91],[105.9,28.9]]]}'
			),
			1,
			/Self-intersection/
		);
	});
	it('a NaN coordinate', async () => {
		await expectRejected(
			withBadSecond('{"type":"Polygon","coordinates":[[[105.9,NaN],[105.91,28.9],[105.91,28.91],[105.9,28.9]]]}'),
			1,
			/NaN/
		);
	});
	it('a 1e400 coordinate', async () => {
		await expectRejected(
			withBadSecond('{"type":"Polygon","coordinates":[[[105.9,1e400],[105.91,28.9],[105.91,28.91],[105.9,28.9]]]}'),
			1,
			/not finite/
		);
	});
	it('a null coordinate', async () => {
		await expectRejected(
			withBadSecond('{"type":"Polygon","coordinates":[[[105.9,null],[105.91,28.9],[105.91,28.91],[105.9,28.9]]]}'),
			1,
			/null/
		);
	});
	it('a string coordinate', async () => {
		await expectRejected(
			withBadSecond('{"type":"Polygon","coordinates":[[[105.9,"28.9"],[105.91,28.9],[105.91,28.91],[105.9,28.9]]]}'),
			1,
			/string/
		);
	});
	it('longitude 200', async () => {
		await expectRejected(
			withBadSecond('{"type":"Polygon","coordinates":[[[200,28.9],[105.91,28.9],[105.91,28.91],[200,28.9]]]}'),
			1,
			/longitude 200 .*out of range/
		);
	});
	it('a point where polygons belong', async () => {
		await expectRejected(withBadSecond('{"type":"Point","coordinates":[105.9,28.9]}'), 1, /Point where/);
	});
	it('an empty geometry', async () => {
		await expectRejected(withBadSecond('{"type":"Polygon","coordinates":[]}'), 1, /empty/);
	});
	it('a missing parent', async () => {
		const bad = community('T-ORPHAN', 105.95, 28.95, 0.002, { street_code: '510522999000' });
		await expectRejected(collection(community('T-GOOD', 105.9, 28.9), bad), 1, /parent street '510522999000' does not exist/);
	});
	it('a feature outside every street when no parent is named', async () => {
		const far = community('T-FAR', 100, 20, 0.002, { street_code: undefined });
		await expectRejected(collection(community('T-GOOD', 105.9, 28.9), far), 1, /no street contains/);
	});
	it('malformed JSON', async () => {
		await expectRejected('{"type":"FeatureCollection","features":[', null, /malformed JSON/);
	});
	it('reports every bad feature, not only the first', async () => {
		const text = `{"type":"FeatureCollection","features":[${JSON.stringify(community('T-A', 105.9, 28.9))},
			{"type":"Feature","properties":{"code":"T-B","name":"b","street_code":"${FUYANG}"},"geometry":{"type":"Point","coordinates":[1,2]}},
			${JSON.stringify(community('T-C', 105.92, 28.9))},
			{"type":"Feature","properties":{"code":"T-D","name":"d","street_code":"${FUYANG}"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,2],[1,1]]]}}]}`;
		const result = await importGeoJson(t.db, text, { layer: 'communities', crs: 'wgs84' });
		expect(result.ok).toBe(false);
		if (!result.ok) expect([...new Set(result.problems.map((p) => p.index))]).toEqual([1, 3]);
	});
});

describe('good input', () => {
	it('lands once and a re-import updates by code without duplicating', async () => {
		const text = collection(community('T-NEW-1', 105.9, 28.9), community('T-NEW-2', 105.903, 28.9));
		const before = await tableCounts(t.db);
		const first = await importGeoJson(t.db, text, { layer: 'communities', crs: 'wgs84' });
		expect(first).toMatchObject({ ok: true, written: 2, created: 2, updated: 0 });
		const second = await importGeoJson(t.db, text, { layer: 'communities', crs: 'wgs84' });
		expect(second).toMatchObject({ ok: true, written: 2, created: 0, updated: 2 });
		const after = await tableCounts(t.db);
		expect(after.communities).toBe(before.communities + 2);
		expect(after.audit_log).toBe(before.audit_log + 2);
	});

	it('finds the parent street spatially when the parent field is missing', async () => {
		// A point well inside 符阳街道: the point on surface of its first community.
		const { rows } = await t.db.knex.raw(
			`SELECT ST_X(p) AS lng, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) p FROM streets WHERE code = ?) s`,
			[FUYANG]
		);
		const { lng, lat } = rows[0];
		const feature = community('T-SPATIAL', lng - 0.0001, lat - 0.0001, 0.0002, { street_code: undefined });
		const result = await importGeoJson(t.db, collection(feature), { layer: 'communities', crs: 'wgs84' });
		expect(result.ok).toBe(true);
		const row = await t.db
			.knex('communities as c')
			.join('streets as s', 's.id', 'c.street_id')
			.where('c.code', 'T-SPATIAL')
			.first('s.code');
		expect(row.code).toBe(FUYANG);
	});

	it('a GCJ-02 file imported with --crs gcj02 lands within 1 m of its WGS84 position', async () => {
		const wgs: [number, number][] = [
			[106.01, 28.95],
			[106.02, 28.95],
			[106.02, 28.96],
			[106.01, 28.96],
			[106.01, 28.95]
		];
		const gcj = wgs.map((p) => wgs84ToGcj02(p));
		const feature = {
			type: 'Feature',
			properties: { code: 'T-GCJ', name: '火星街道' },
			geometry: { type: 'Polygon', coordinates: [gcj] }
		};
		const result = await importGeoJson(t.db, collection(feature), { layer: 'streets', crs: 'gcj02' });
		expect(result.ok).toBe(true);
		const { rows } = await t.db.knex.raw(
			`SELECT max(ST_Distance(d.geom::geography, ST_SetSRID(ST_MakePoint(w.lng, w.lat), 4326)::geography)) AS metres,
			        min(ST_Distance(ST_SetSRID(ST_MakePoint(w.lng, w.lat), 4326)::geography,
			            ST_SetSRID(ST_MakePoint(w.glng, w.glat), 4326)::geography)) AS offset
			 FROM (SELECT (ST_DumpPoints(geom)).geom FROM streets WHERE code = 'T-GCJ') d,
			      json_to_recordset(?::json) AS w(lng float8, lat float8, glng float8, glat float8)
			 WHERE ST_DWithin(d.geom::geography, ST_SetSRID(ST_MakePoint(w.lng, w.lat), 4326)::geography, 50)`,
			[JSON.stringify(wgs.slice(0, 4).map(([lng, lat], i) => ({ lng, lat, glng: gcj[i][0], glat: gcj[i][1] })))]
		);
		expect(Number(rows[0].metres)).toBeLessThan(1);
		// and the GCJ-02 input really was offset by hundreds of metres
		expect(Number(rows[0].offset)).toBeGreaterThan(100);
	});

	it('repairs a small self-intersection with --repair, reporting the area change', async () => {
		// A 200 m square whose top edge has a tiny bow-tie twist (1e-6° ≈ 0.1 m).
		const [x, y, s, e] = [105.95, 28.95, 0.002, 0.000001];
		const ring = [[x, y], [x + s, y], [x + s, y + s], [x + s / 2 - e, y + s], [x + s / 2 + e, y + s + e], [x + s / 2 + e, y + s], [x + s / 2 - e, y + s + e], [x, y + s], [x, y]];
		const feature = { ...community('T-REPAIR', x, y), geometry: { type: 'Polygon', coordinates: [ring] } };
		const before = await tableCounts(t.db);
		const refused = await importGeoJson(t.db, collection(feature), { layer: 'communities', crs: 'wgs84' });
		expect(refused.ok).toBe(false);
		expect(await tableCounts(t.db)).toEqual(before);
		const repaired = await importGeoJson(t.db, collection(feature), { layer: 'communities', crs: 'wgs84', repair: true });
		expect(repaired.ok).toBe(true);
		expect(repaired.repairs).toHaveLength(1);
		expect(repaired.repairs[0].index).toBe(0);
		expect(repaired.repairs[0].areaChangePct).toBeLessThan(1);
		const row = await t.db.knex('communities').where('code', 'T-REPAIR').first(t.db.knex.raw('ST_IsValid(geom) AS valid'));
		expect(row.valid).toBe(true);
	});

	it('refuses a repair that would change the area by 1% or more (a real bow-tie)', async () => {
		await expectRejected(
			withBadSecond('{"type":"Polygon","coordinates":[[[105.9,28.9],[105.91,28.91],[105.91,28.9],[105.9,28.91],[105.9,28.9]]]}'),
			1,
			/repair refused/,
			{ repair: true }
		);
	});
});

describe('the CLI', () => {
	it('exits non-zero and prints each bad feature; exits 0 on a good file', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wz-import-'));
		const bad = path.join(dir, 'bad.geojson');
		fs.writeFileSync(bad, withBadSecond('{"type":"Point","coordinates":[105.9,28.9]}'));
		const run = (file: string) =>
			spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/import.ts', '--layer', 'communities', file], {
				env: { ...process.env, DATABASE_URL: t.url },
				encoding: 'utf8'
			});
		const rejected = run(bad);
		expect(rejected.status).toBe(1);
		expect(rejected.stderr).toMatch(/feature 1: .*Point where/);
		expect(rejected.stderr).toMatch(/nothing was written/);
		const good = path.join(dir, 'good.geojson');
		fs.writeFileSync(good, collection(community('T-CLI', 105.97, 28.97)));
		const accepted = run(good);
		expect(accepted.stderr).toBe('');
		expect(accepted.status).toBe(0);
		expect(accepted.stdout).toMatch(/imported 1 communities/);
	});
});
