/**
 * The built app served by the real server: on PostGIS (DATABASE_URL) and on the embedded
 * database (no DATABASE_URL, a fresh DATA_DIR) it is healthy and reports the same counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let t: TestDatabase;
let onPostgis: RunningServer;
let embedded: RunningServer;
let dataDir: string;

beforeAll(async () => {
	t = await createTestDatabase('empty');
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wz-embedded-'));
	// Both start from an empty database, so both load the sample themselves at start-up.
	[onPostgis, embedded] = await Promise.all([
		startServer({ DATABASE_URL: t.url }),
		startServer({ DATA_DIR: dataDir })
	]);
}, 300_000);

afterAll(async () => {
	await Promise.all([onPostgis?.stop(), embedded?.stop()]);
	await t?.drop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function getJson(url: string) {
	const res = await fetch(url);
	expect(res.status).toBe(200);
	return res.json();
}

describe('the served app', () => {
	it('is healthy on PostGIS and on the embedded database', async () => {
		const a = await getJson(`${onPostgis.url}/api/health`);
		expect(a).toMatchObject({ status: 'ok', database: 'postgis' });
		expect(a.postgis).toMatch(/^3\.\d+/);
		const b = await getJson(`${embedded.url}/api/health`);
		expect(b).toMatchObject({ status: 'ok', database: 'embedded' });
		expect(b.postgis).toMatch(/^3\.\d+/);
	});

	it('gives the same sample counts on both, sized like the seed', async () => {
		const a = await getJson(`${onPostgis.url}/api/stats`);
		const b = await getJson(`${embedded.url}/api/stats`);
		expect(b).toEqual(a);
		expect(a).toMatchObject({ streets: 2, communities: 13 });
		expect(a.grids).toBeGreaterThanOrEqual(80);
		expect(a.issues).toBeGreaterThanOrEqual(1100);
		expect(a.renovation).toBe(34);
	});

	it('serves the map page with the county outline as GeoJSON', async () => {
		const page = await fetch(`${onPostgis.url}/`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('网格治理一张图');
		const county = await getJson(`${onPostgis.url}/api/layers/county`);
		expect(county.features).toHaveLength(1);
		expect(county.features[0].properties.name).toBe('合江县');
	});

	it('answers an unknown layer with a 400 and a message, not a 500', async () => {
		const res = await fetch(`${onPostgis.url}/api/layers/nope`);
		expect(res.status).toBe(400);
		expect((await res.json()).message).toMatch(/unknown layer 'nope'/);
	});
});
