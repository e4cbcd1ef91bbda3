/**
 * The built app served by the real server: on PostGIS (DATABASE_URL) and on the embedded
 * database (no DATABASE_URL, a fresh DATA_DIR) it is healthy and reports the same counts.
 * This is the one end-to-end file whose servers start on empty databases and load the sample
 * themselves; the others clone the sample template, so they start with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { decode, tileAt } from '../helpers/tiles.js';
import { openDatabase } from '../../src/lib/server/platform/db.js';

let t: TestDatabase;
let onPostgis: RunningServer;
let embedded: RunningServer | undefined;
let dataDir: string;

beforeAll(async () => {
	t = await createTestDatabase('empty');
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wz-embedded-'));
	// Both start from an empty database, so both load the sample themselves at start-up.
	[onPostgis, embedded] = await Promise.all([
		startServer({ DATABASE_URL: t.url }),
		// The embedded PostGIS (WebAssembly) opens, migrates and loads the sample in ~30 s of
		// CPU alone; beside the rest of the suite on two cores, several times that.
		startServer({ DATA_DIR: dataDir }, 420_000)
	]);
}, 480_000);

afterAll(async () => {
	await Promise.all([onPostgis?.stop(), embedded?.stop()]);
	await t?.drop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A planner's session cookie on a server: data beyond outlines needs one. */
const plannerCookies = new Map<string, string>();
async function planner(server: RunningServer): Promise<string> {
	if (!plannerCookies.has(server.url)) {
		const res = await fetch(`${server.url}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username: 'demo-planner', password: 'demo' })
		});
		plannerCookies.set(server.url, res.headers.get('set-cookie')!.split(';')[0]);
	}
	return plannerCookies.get(server.url)!;
}

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
		const b = await getJson(`${embedded!.url}/api/health`);
		expect(b).toMatchObject({ status: 'ok', database: 'embedded' });
		expect(b.postgis).toMatch(/^3\.\d+/);
	});

	it('loaded the sample by itself at start-up, on both, saying each step before it runs (issue 21)', () => {
		for (const server of [onPostgis, embedded!]) {
			const output = server.output();
			expect(output).toMatch(/Hejiang sample loaded/);
			// The steps of a first start, in the order they run, each announced before it takes its time.
			const steps = [/database: (connecting to DATABASE_URL|opening the embedded PostGIS)/, /bringing the schema up to date/, /database: (\d+ migrations applied|schema up to date)/, /loading the Hejiang sample \(first start only\)/, /sample: buildings \d+/, /Hejiang sample loaded/];
			const at = steps.map((step) => output.search(step));
			expect(at.every((i) => i >= 0), output).toBe(true);
			expect([...at].sort((a, b) => a - b)).toEqual(at);
		}
		expect(embedded!.output()).toMatch(/opening the embedded PostGIS in .* \(created on the first start\)/);
	});

	it('gives the same sample counts on both, sized like the seed', async () => {
		const a = await getJson(`${onPostgis.url}/api/stats`);
		const b = await getJson(`${embedded!.url}/api/stats`);
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

	it('serves vector tiles with type, gzip, ETag revalidation and 204 for empty tiles', async () => {
		const { rows } = await t.db.knex.raw('SELECT ST_X(anchor) AS lng, ST_Y(anchor) AS lat FROM buildings ORDER BY code LIMIT 1');
		const [z, x, y] = tileAt(rows[0].lng, rows[0].lat, 14); // a z14 tile: large enough (>1 kB) to be worth gzip
		for (const server of [onPostgis, embedded!]) {
			const url = `${server.url}/tiles/buildings/${z}/${x}/${y}.pbf`;
			const cookie = await planner(server);
			const res = await fetch(url, { headers: { 'accept-encoding': 'gzip', cookie } });
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
			expect(res.headers.get('content-encoding')).toBe('gzip');
			expect(res.headers.get('cache-control')).toMatch(/no-cache/);
			const etag = res.headers.get('etag');
			expect(decode(new Uint8Array(await res.arrayBuffer()), 'buildings').length).toBeGreaterThan(0);
			// node:http, because fetch adds `Cache-Control: no-cache` to a conditional request.
			const again = await new Promise<number>((resolve, reject) =>
				http.get(url, { headers: { 'if-none-match': etag!, cookie } }, (r) => (r.resume(), resolve(r.statusCode!))).on('error', reject)
			);
			expect(again).toBe(304);
			// Far from any data, and below the layer's minimum zoom: no content.
			expect((await fetch(`${server.url}/tiles/buildings/15/0/0.pbf`, { headers: { cookie } })).status).toBe(204);
			expect((await fetch(`${server.url}/tiles/buildings/10/${x >> 4}/${y >> 4}.pbf`, { headers: { cookie } })).status).toBe(204);
		}
		const tilejson = await getJson(`${onPostgis.url}/tiles/grids.json`);
		expect(tilejson.tiles[0]).toBe(`${onPostgis.url}/tiles/grids/{z}/{x}/{y}.pbf`);
		expect(tilejson.minzoom).toBe(12);
	});

	it.each([
		['/tiles/nope/1/0/0.pbf', 400, /unknown layer 'nope'/],
		['/tiles/nope.json', 400, /unknown layer 'nope'/],
		['/tiles/grids/23/0/0.pbf', 400, /zoom 23/],
		['/tiles/grids/2/4/0.pbf', 400, /x 4 is out of range/],
		['/tiles/grids/2/0/9.pbf', 400, /y 9 is out of range/],
		['/tiles/grids/a/0/0.pbf', 400, /whole numbers/],
		['/tiles/grids/1/0/0.png', 404, /no endpoint GET \/tiles\/grids\/1\/0\/0.png/],
		['/api/areas/planet/1', 400, /unknown level 'planet'/],
		['/api/areas/grid/nope', 404, /no grid with code 'nope'/],
		['/api/areas/grid/nope/issues', 404, /no grid/],
		['/api/areas/community/510522100006/issues?status=lost', 400, /status 'lost'/],
		['/api/areas/community/510522100006/issues?limit=1000', 400, /limit must be/],
		['/api/areas/at?lng=abc&lat=28.8', 400, /lng must be a number/],
		['/api/areas/at?lng=105.8&lat=95', 400, /lat 95 is out of range/],
		['/api/areas/at?lat=28.8', 400, /lng is required/],
		['/api/areas/at?lng=0&lat=0', 404, /no area covers/],
		['/api/areas/at?lng=105.8&lat=28.8&level=x', 400, /level 'x' is not one of/]
	])('%s → %i with a message', async (path, status, message) => {
		for (const server of [onPostgis, embedded!]) {
			const res = await fetch(`${server.url}${path}`, { headers: { cookie: await planner(server) } });
			expect(res.status).toBe(status);
			expect((await res.json()).message).toMatch(message);
		}
	});

	it('signs a demo user in with an http-only cookie, knows them, and signs them out', async () => {
		const res = await fetch(`${onPostgis.url}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username: 'demo-planner', password: 'demo' })
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ user: { username: 'demo-planner', role: 'planner' } });
		const cookie = res.headers.get('set-cookie')!;
		expect(cookie).toMatch(/session=[\w-]+/);
		expect(cookie).toMatch(/HttpOnly/i);
		const session = cookie.split(';')[0];
		const me = await (await fetch(`${onPostgis.url}/api/session`, { headers: { cookie: session } })).json();
		expect(me.user.username).toBe('demo-planner');
		const out = await fetch(`${onPostgis.url}/api/session`, { method: 'DELETE', headers: { cookie: session } });
		expect(out.status).toBe(204);
		const after = await (await fetch(`${onPostgis.url}/api/session`, { headers: { cookie: session } })).json();
		expect(after.user).toBeNull();
	});

	it('refuses a wrong password with 401, a malformed body with 400, and limits repeated failures', async () => {
		const post = (body: string) =>
			fetch(`${embedded!.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect((await post('{"username":"demo-grid"')).status).toBe(400);
		expect((await (await post('{"username":"demo-grid"}')).json()).message).toMatch(/password is required/);
		const statuses = [];
		for (let i = 0; i < 6; i++) statuses.push((await post(JSON.stringify({ username: 'demo-grid', password: 'nope' }))).status);
		expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
	});

	it('answers owner(point): areas for anyone, people only when signed in, GCJ-02 converted', async () => {
		const { rows } = await t.db.knex.raw(
			`SELECT ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat, b.code, g.code AS grid FROM buildings b JOIN grids g ON g.id = b.grid_id ORDER BY b.code LIMIT 1`
		);
		const { lng, lat, code, grid } = rows[0];
		const anonymous = await getJson(`${onPostgis.url}/api/owner?lng=${lng}&lat=${lat}`);
		expect(anonymous).toMatchObject({ building: { code }, grid: { code: grid }, fallback: false, county_queue: false });
		expect(anonymous.grid).not.toHaveProperty('people');
		expect(anonymous.community).not.toHaveProperty('lead_department');
		expect(anonymous).toMatchObject({ point: [lng, lat], crs: 'wgs84', at: null });
		const { wgs84ToGcj02 } = await import('../../src/lib/geo/crs.js');
		const [glng, glat] = wgs84ToGcj02([lng, lat]);
		const viaGcj = await getJson(`${onPostgis.url}/api/owner?lng=${glng}&lat=${glat}&crs=gcj02`);
		expect(viaGcj.building.code).toBe(code);

		const signIn = await fetch(`${onPostgis.url}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username: 'demo-admin', password: 'demo' })
		});
		const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
		const signedIn = await (await fetch(`${onPostgis.url}/api/owner?lng=${lng}&lat=${lat}`, { headers: { cookie } })).json();
		expect(signedIn.grid.people.map((p: { role: string }) => p.role)).toContain('grid_worker');
		expect(signedIn.community).toHaveProperty('lead_department');

		const batch = await fetch(`${onPostgis.url}/api/owner`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ points: [[lng, lat], [0, 0]] })
		});
		const body = await batch.json();
		expect(body.results.map((r: { county_queue: boolean }) => r.county_queue)).toEqual([false, true]);
	});

	it.each([
		['GET', '/api/owner?lng=105.8', null, 400, /lat is required/],
		['GET', '/api/owner?lng=105.8&lat=28.8&crs=bd09', null, 400, /crs 'bd09' is not known/],
		['GET', '/api/owner?lng=105.8&lat=28.8&at=yesterday', null, 400, /at 'yesterday' must be a date/],
		['POST', '/api/owner', '{"points": []}', 400, /non-empty array/],
		['POST', '/api/owner', '{"points": [[105.8, 28.8], [1]]}', 400, /points\[1\] must be \[lng, lat\]/],
		['POST', '/api/owner', '{"points": [[200, 28.8]]}', 400, /points\[0\] .* out of range/],
		['POST', '/api/owner', `{"points": ${JSON.stringify(Array.from({ length: 10_001 }, () => [105.8, 28.8]))}}`, 400, /at most 10000 points/],
		['POST', '/api/owner', 'not json', 400, /must be JSON/]
	])('%s %s → %i', async (method, path, body, status, message) => {
		const res = await fetch(`${onPostgis.url}${path}`, {
			method: method as string,
			headers: { 'content-type': 'application/json' },
			body: body as string | null
		});
		expect(res.status).toBe(status);
		expect((await res.json()).message).toMatch(message as RegExp);
	});
});

/**
 * The embedded database killed under writes (issue 8), last in this file, on its embedded
 * server: sent SIGKILL while it assigns roles one after another, its data folder, opened
 * again, holds every assignment it acknowledged, each with its audit row — nothing
 * acknowledged lost, nothing half written.
 */
describe('the embedded database killed mid-write', () => {
	async function signIn(url: string): Promise<string> {
		const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-admin', password: 'demo' }) });
		expect(res.status).toBe(200);
		return res.headers.get('set-cookie')!.split(';')[0];
	}

	it('keeps every acknowledged write, whole', async () => {
		const url = embedded!.url;
		const cookie = await signIn(url);
		const people = (await (await fetch(`${url}/api/search?q=P00&limit=50`, { headers: { cookie } })).json()).results.filter((r: { kind: string }) => r.kind === 'person');
		const building = (await (await fetch(`${url}/api/search?q=B00&limit=50`, { headers: { cookie } })).json()).results.find((r: { kind: string }) => r.kind === 'building').code;
		expect(people.length).toBeGreaterThan(10);

		// Writes one after another until the kill; each acknowledged one is remembered.
		const acknowledged: { id: number; person: string }[] = [];
		let killed = false;
		const writing = (async () => {
			for (let i = 0; !killed; i++) {
				const person = people[i % people.length].code;
				try {
					const res = await fetch(`${url}/api/assignments`, {
						method: 'POST',
						headers: { cookie, 'content-type': 'application/json' },
						body: JSON.stringify({ person_code: person, role: 'registered_party_member', target_code: building, reason: `kill test ${i}` })
					});
					if (res.status === 201) acknowledged.push({ id: (await res.json()).id, person });
				} catch {
					return; // the server is gone
				}
			}
		})();
		while (acknowledged.length < 8) await new Promise((r) => setTimeout(r, 20));
		killed = true;
		embedded!.kill();
		await writing;
		await embedded!.stop();

		embedded = undefined;

		// Whole: every assignment the test wrote has its audit row, and every audit row its assignment.
		const db = await openDatabase({ dataDir });
		try {
			const { rows } = await db.knex.raw(`SELECT
				(SELECT count(*)::int FROM assignments WHERE reason LIKE 'kill test %') AS assignments,
				(SELECT count(*)::int FROM audit_log WHERE action = 'assign' AND detail->>'reason' LIKE 'kill test %') AS audits,
				(SELECT count(*)::int FROM assignments a WHERE a.reason LIKE 'kill test %'
				   AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'assign' AND (l.detail->>'id')::int = a.id)) AS without_audit`);
			// Every acknowledged assignment is there, as acknowledged.
			const kept = await db.knex('assignments').whereIn('id', acknowledged.map((a) => a.id)).select('id', db.knex.raw('(SELECT code FROM people WHERE id = person_id) AS person'));
			expect(kept.map((r: { id: number; person: string }) => ({ id: r.id, person: r.person })).sort((a, b) => a.id - b.id)).toEqual(acknowledged);
			expect(rows[0].assignments).toBeGreaterThanOrEqual(acknowledged.length);
			expect(rows[0].audits).toBe(rows[0].assignments);
			expect(rows[0].without_audit).toBe(0);
		} finally {
			await db.close();
		}
	}, 400_000);
});
