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
import { nodeArgs } from '../helpers/cli.js';
import { failureReason, importGeoJson, type ImportOptions } from '../../src/lib/server/areas/imports.js';
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
			spawnSync(process.execPath, [...nodeArgs('scripts/import.ts'), '--layer', 'communities', file], {
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

// ---------------------------------------------------------------------------------------------
// Large files, hostile input and database failures: the CLI answers in lines a person reads,
// never a stack or a statement, and a refused file writes nothing.
// ---------------------------------------------------------------------------------------------

let scratch: string | undefined;
afterAll(() => {
	if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});
/** Writes text to a file in a temporary directory of this test file. */
function tempFile(name: string, text: string): string {
	scratch ??= fs.mkdtempSync(path.join(os.tmpdir(), 'wz-import-'));
	const file = path.join(scratch, name);
	fs.writeFileSync(file, text);
	return file;
}

/** Runs the real CLI against this file's test database; env overrides DATABASE_URL and the rest. */
function runCli(args: string[], env: Record<string, string> = {}) {
	return spawnSync(process.execPath, [...nodeArgs('scripts/import.ts'), ...args], {
		env: { ...process.env, DATABASE_URL: t.url, ...env },
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
}

/** What the CLI printed is for a person: no stack frame, no SQL, no raw NUL. */
function expectReadable(output: string) {
	expect(output).not.toMatch(/^\s+at /m);
	expect(output).not.toMatch(/\b(insert|select)\b/i);
	expect(output).not.toContain('\u0000');
}

/** `n` issue points with codes `${prefix}-<i>`, spread over a 300-column lattice near Hejiang. */
function issuePoints(n: number, prefix: string): string {
	const features = Array.from({ length: n }, (_, i) => ({
		type: 'Feature',
		properties: { code: `${prefix}-${i}`, title: `测试问题 ${i}` },
		geometry: { type: 'Point', coordinates: [105.8 + (i % 300) * 0.0002, 28.8 + Math.floor(i / 300) * 0.0002] }
	}));
	return JSON.stringify({ type: 'FeatureCollection', features });
}

/** A small square building at (lng, lat). */
function building(code: string, lng: number, lat: number, properties: Record<string, unknown> = {}) {
	const s = 0.0002;
	return {
		type: 'Feature',
		properties: { code, name: `测试楼${code}`, ...properties },
		geometry: { type: 'Polygon', coordinates: [[[lng, lat], [lng + s, lat], [lng + s, lat + s], [lng, lat + s], [lng, lat]]] }
	};
}

describe('a file of more than 65,535 features', () => {
	// Batches do not grow with the file: 12,000 features show it as well as 70,000 (which the
	// CLI test below imports), at a sixth of the time.
	it('imports in batches inside one transaction, no statement near the parameter limit', { timeout: 300_000 }, async () => {
		const before = await tableCounts(t.db);
		const statements: { bindings: number; tx: string | undefined }[] = [];
		const listen = (q: { bindings?: unknown[]; __knexTxId?: string }) => {
			statements.push({ bindings: q.bindings?.length ?? 0, tx: q.__knexTxId });
		};
		t.db.knex.on('query', listen);
		let result;
		try {
			result = await importGeoJson(t.db, issuePoints(12_000, 'T-BIG'), { layer: 'issues', crs: 'wgs84' });
		} finally {
			t.db.knex.off('query', listen);
		}
		expect(result).toMatchObject({ ok: true, written: 12_000, created: 12_000, updated: 0 });
		const after = await tableCounts(t.db);
		expect(after.issues).toBe(before.issues + 12_000);
		expect(after.audit_log).toBe(before.audit_log + 1);
		expect(Math.max(...statements.map((s) => s.bindings))).toBeLessThan(10_000);
		expect(statements.length).toBeGreaterThan(12_000 / 1000);
		expect(statements[0].tx).toBeDefined();
		expect(new Set(statements.map((s) => s.tx))).toEqual(new Set([statements[0].tx]));
	});

	it('the CLI imports 70,000 points, exits 0 and writes them in one transaction with one audit row', { timeout: 300_000 }, async () => {
		const before = await tableCounts(t.db);
		const run = runCli(['--layer', 'issues', tempFile('big.geojson', issuePoints(70_000, 'T-CLI-BIG'))]);
		expectReadable(run.stdout + run.stderr);
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/imported 70000 issues .*\(70000 new, 0 updated\)/);
		const after = await tableCounts(t.db);
		expect(after.issues).toBe(before.issues + 70_000);
		expect(after.audit_log).toBe(before.audit_log + 1);
		// Rows written by one transaction carry its id as xmin; the audit row is among them.
		const { rows } = await t.db.knex.raw(
			`SELECT count(DISTINCT xmin::text)::int AS transactions, min(xmin::text) AS xid,
			        (SELECT xmin::text FROM audit_log ORDER BY id DESC LIMIT 1) AS audit_xid
			 FROM issues WHERE code LIKE 'T-CLI-BIG-%'`
		);
		expect(rows[0].transactions).toBe(1);
		expect(rows[0].audit_xid).toBe(rows[0].xid);
	});
});

describe('the CLI on a NUL character', () => {
	const good = { type: 'Feature', properties: { code: 'T-NUL-0', title: '好' }, geometry: { type: 'Point', coordinates: [105.9, 28.9] } };
	const withSecond = (properties: Record<string, unknown>) =>
		collection(good, { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [105.91, 28.9] } });
	const goodText = JSON.stringify(good);

	it.each([
		['in a property value', withSecond({ code: 'T-NUL-1', title: 'a\u0000b' }), /^feature 1: property 'title' contains a NUL character/m],
		['in a code', withSecond({ code: 'T-NUL-\u0000', title: 'b' }), /^feature 1: property 'code' contains a NUL character/m],
		[
			'as a raw byte inside a string of the JSON text',
			`{"type":"FeatureCollection","features":[${goodText},{"type":"Feature","properties":{"code":"T-NUL-2","title":"a\u0000b"},"geometry":{"type":"Point","coordinates":[105.91,28.9]}}]}`,
			/^feature 1: property 'title' contains a NUL character/m
		],
		[
			'as a raw byte between tokens of the JSON text',
			`{"type":"FeatureCollection","features":[${goodText},\u0000{"type":"Feature"}]}`,
			/^\S+: malformed JSON: .*line 1, column \d+$/m
		],
		[
			'in a member of the geometry',
			collection(good, { type: 'Feature', properties: { code: 'T-NUL-3', title: 'c' }, geometry: { type: 'Point', coordinates: [105.91, 28.9], note: '\u0000' } }),
			/^feature 1: geometry member 'note' contains a NUL character/m
		]
	])('%s: exit 1, one line naming it, nothing written', async (_label, text, expected) => {
		const before = await tableCounts(t.db);
		const run = runCli(['--layer', 'issues', tempFile('nul.geojson', text)]);
		expectReadable(run.stdout + run.stderr);
		expect(run.stderr).toMatch(expected);
		expect(run.stderr).toMatch(/nothing was written/);
		expect(run.status).toBe(1);
		expect(await tableCounts(t.db)).toEqual(before);
	});
});

describe('the CLI on an unknown --crs', () => {
	it.each(['nonsense', 'constructor', '__proto__', 'toString'])('--crs %s: an argument error, exit 2', async (name) => {
		const before = await tableCounts(t.db);
		const run = runCli(['--layer', 'issues', '--crs', name, tempFile('crs.geojson', issuePoints(2, 'T-CRS'))]);
		expectReadable(run.stdout + run.stderr);
		expect(run.stderr.trim()).toBe(`--crs '${name}' is not known; use wgs84, gcj02, cgcs2000 or epsg:3857`);
		expect(run.status).toBe(2);
		expect(await tableCounts(t.db)).toEqual(before);
	});
});

describe('the CLI when the database refuses', () => {
	it('a row PostgreSQL refuses (a check constraint) is reported by feature, nothing written', async () => {
		const text = collection(
			building('T-DB-0', 105.93, 28.93),
			building('T-DB-1', 105.931, 28.93, { floors: 0 }),
			building('T-DB-2', 105.932, 28.93),
			building('T-DB-3', 105.933, 28.93, { households: -2 })
		);
		const before = await tableCounts(t.db);
		const run = runCli(['--layer', 'buildings', tempFile('refused.geojson', text)]);
		expectReadable(run.stdout + run.stderr);
		expect(run.stderr).toMatch(/^feature 1: .*check constraint "buildings_floors_positive"$/m);
		expect(run.stderr).toMatch(/^feature 3: .*check constraint "buildings_households_not_negative"$/m);
		expect(run.stderr).not.toMatch(/^feature [02]:/m);
		expect(run.stderr).toMatch(/nothing was written/);
		expect(run.status).toBe(1);
		expect(await tableCounts(t.db)).toEqual(before);
	});

	it('a failure of no feature (a lock timeout during the write) is one line, nothing written', async () => {
		const before = await tableCounts(t.db);
		// Another session holds a lock that lets the import read issues but not write them.
		const holder = await t.db.knex.transaction();
		let run;
		try {
			await holder.raw('LOCK TABLE issues IN SHARE MODE');
			const url = new URL(t.url);
			url.searchParams.set('options', '-c lock_timeout=500');
			run = runCli(['--layer', 'issues', tempFile('locked.geojson', issuePoints(3, 'T-LOCK'))], { DATABASE_URL: url.toString() });
		} finally {
			await holder.rollback();
		}
		expectReadable(run.stdout + run.stderr);
		expect(run.stderr.trim()).toBe('import failed: canceling statement due to lock timeout');
		expect(run.status).toBe(1);
		expect(await tableCounts(t.db)).toEqual(before);
	});

	it('an unreachable database is one line', () => {
		const run = runCli(['--layer', 'issues', tempFile('unreachable.geojson', issuePoints(1, 'T-NODB'))], {
			DATABASE_URL: 'postgres://postgres@127.0.0.1:9/nowhere'
		});
		expectReadable(run.stdout + run.stderr);
		expect(run.stderr.trim()).toMatch(/^import failed: .*ECONNREFUSED 127\.0\.0\.1:9$/);
		expect(run.status).toBe(1);
	});
});

describe('rows the database refuses', () => {
	it('are named by feature in a later batch too, and nothing is written', async () => {
		// Feature 1500 and 1501 are in the second batch of 1,000.
		const refused: Record<number, Record<string, unknown>> = { 1500: { floors: 0 }, 1501: { floors: 3_000_000_000 } };
		const features = Array.from({ length: 1600 }, (_, i) =>
			building(`T-REF-${i}`, 105.94 + (i % 40) * 0.0003, 28.94 + Math.floor(i / 40) * 0.0003, refused[i])
		);
		const before = await tableCounts(t.db);
		const result = await importGeoJson(t.db, collection(...features), { layer: 'buildings', crs: 'wgs84' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => p.index)).toEqual([1500, 1501]);
		expect(result.problems[0].reason).toBe(
			'the database refused it: new row for relation "buildings" violates check constraint "buildings_floors_positive"'
		);
		expect(result.problems[1].reason).toBe('the database refused it: value "3000000000" is out of range for type integer');
		expect(await tableCounts(t.db)).toEqual(before);
	});
});

describe('failureReason', () => {
	it("keeps PostgreSQL's message and drops the statement knex puts in front, values and all", () => {
		const error = Object.assign(new Error(`insert into "issues" ("title") values ('a - b'), ('c\n - d') - value too long`), { code: '22001' });
		expect(failureReason(error)).toBe('value too long');
	});
	it('is one printable line of bounded length', () => {
		expect(failureReason(new Error('first\nsecond'))).toBe('first');
		expect(failureReason(new Error('nul \u0000 here'))).toBe('nul \\u0000 here');
		expect(failureReason(new Error('x'.repeat(1000))).length).toBeLessThanOrEqual(301);
		expect(failureReason(new AggregateError([new Error('connect ECONNREFUSED ::1:9')], ''))).toBe('connect ECONNREFUSED ::1:9');
		expect(failureReason('plain')).toBe('plain');
	});
});
