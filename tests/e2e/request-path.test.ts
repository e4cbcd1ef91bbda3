/**
 * One request path (issue 9). Three servers on one database: the app as `npm start` runs it,
 * the same with the fast lane off (every request through Express and SvelteKit), and
 * `npm run dev` (vite). Each fast-lane route answers the same status, headers that matter
 * and bytes through both doors; every endpoint of the README answers alike under dev and
 * start, and a Host the app does not answer for is refused alike; and the tile cache keeps
 * territories apart and goes stale exactly when a layer's data changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startDevServer, startServer, type RunningServer } from '../helpers/server.js';
import { decode, tileAt } from '../helpers/tiles.js';
import { FAST_LANE } from '../../src/server/fast-lane.js';

const ORIGIN = 'http://wangge.test';

let t: TestDatabase;
let start: RunningServer;
let noFastLane: RunningServer;
let dev: RunningServer;
const cookies: Record<string, string> = {};

async function signIn(server: RunningServer, username: string): Promise<string> {
	const res = await fetch(`${server.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password: 'demo' })
	});
	expect(res.status, username).toBe(200);
	return res.headers.get('set-cookie')!.split(';')[0];
}

beforeAll(async () => {
	t = await createTestDatabase('sample');
	const env = { DATABASE_URL: t.url, ORIGIN };
	[start, noFastLane, dev] = await Promise.all([startServer(env), startServer({ ...env, FAST_LANE: 'off' }), startDevServer(env)]);
	for (const [role, username] of [['planner', 'demo-planner'], ['grid', 'demo-grid']]) cookies[role] = await signIn(start, username);
}, 300_000);

afterAll(async () => {
	await Promise.all([start?.stop(), noFastLane?.stop(), dev?.stop()]);
	await t?.drop();
});

/** What a client sees of an answer: status, the headers that matter, and the body decoded (raw over node:http: fetch would decompress). */
function seen(server: RunningServer, path: string, init: { cookie?: string; headers?: Record<string, string> } = {}) {
	return new Promise<{ status: number; headers: Record<string, string | null>; body: string }>((resolve, reject) => {
		const headers = { 'accept-encoding': 'gzip', ...(init.cookie ? { cookie: init.cookie } : {}), ...init.headers };
		http.get(`${server.url}${path}`, { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const raw = Buffer.concat(chunks);
				const kept: Record<string, string | null> = {};
				for (const name of ['content-type', 'content-encoding', 'etag', 'cache-control', 'x-tile-cache', 'vary', 'retry-after', 'content-security-policy', 'x-content-type-options']) {
					kept[name] = (res.headers[name] as string | undefined) ?? null;
				}
				let body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
				// An OGC page carries the time it was made (timeStamp): the one part the two doors cannot share.
				if (path.startsWith('/ogc/')) body = Buffer.from(body.toString('utf8').replace(/"timeStamp":"[^"]+"/, '"timeStamp":"<time>"'));
				resolve({ status: res.statusCode!, headers: kept, body: body.toString('base64') });
			});
		}).on('error', reject);
	});
}

/** Example requests for each fast-lane route: good ones, refused ones, for several callers. */
async function examples(): Promise<Record<string, { path: string; cookie?: string; headers?: Record<string, string> }[]>> {
	const { rows } = await t.db.knex.raw(`
		SELECT ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat, g.code AS grid, c.code AS community
		FROM buildings b JOIN grids g ON g.id = b.grid_id JOIN communities c ON c.id = g.community_id ORDER BY b.code LIMIT 1`);
	const { lng, lat, grid, community } = rows[0];
	const [z, x, y] = tileAt(lng, lat, 15);
	const callers = [undefined, cookies.planner, cookies.grid];
	const each = (path: string) => callers.map((cookie) => ({ path, cookie }));
	return {
		'/tiles/[layer]/[z]/[x]/[y].pbf': [
			...each(`/tiles/buildings/${z}/${x}/${y}.pbf`),
			...each(`/tiles/buildings/${z}/${x}/${y}.pbf`),
			...each(`/tiles/issues/${z}/${x}/${y}.pbf`),
			{ path: `/tiles/grids/${z}/${x}/${y}.pbf` },
			{ path: `/tiles/buildings/10/${x >> 5}/${y >> 5}.pbf`, cookie: cookies.planner },
			{ path: `/tiles/nope/${z}/${x}/${y}.pbf` },
			{ path: `/tiles/grids/23/0/0.pbf` },
			{ path: `/tiles/grids/${z}/${x}/${y}.pbf`, headers: { 'accept-encoding': 'identity' } }
		],
		'/tiles/[layer].json': [{ path: '/tiles/grids.json' }, { path: '/tiles/nope.json' }],
		'/api/owner': [...each(`/api/owner?lng=${lng}&lat=${lat}`), { path: '/api/owner?lng=0x69&lat=1' }, { path: `/api/owner?lng=${lng}&lat=${lat}&at=2026-02-30` }],
		'/api/areas/at': [...each(`/api/areas/at?lng=${lng}&lat=${lat}`), { path: '/api/areas/at?lng=0&lat=0' }],
		'/api/areas/[level]/[code]': [...each(`/api/areas/grid/${grid}`), ...each(`/api/areas/community/${community}`), { path: '/api/areas/planet/1' }, { path: '/api/areas/grid/%00' }],
		'/api/areas/[level]/[code]/issues': [...each(`/api/areas/grid/${grid}/issues?limit=5`), { path: `/api/areas/grid/${grid}/issues?status=lost`, cookie: cookies.planner }],
		'/ogc/collections/[collectionId]/items': [
			...each(`/ogc/collections/issues/items?limit=5&bbox=${lng - 0.01},${lat - 0.01},${lng + 0.01},${lat + 0.01}`),
			...each(`/ogc/collections/buildings/items?limit=3&filter=${encodeURIComponent('floors > 3')}&after=10`),
			{ path: '/ogc/collections/grids/items?limit=2&f=html' },
			{ path: '/ogc/collections/nope/items' },
			{ path: '/ogc/collections/issues/items?limit=0' },
			{ path: '/ogc/collections/issues/items', headers: { authorization: 'Bearer wgz_not-a-token' } }
		]
	};
}

describe('the fast lane', () => {
	it('answers every route the same through both doors: status, headers that matter, bytes', async () => {
		const byRoute = await examples();
		expect(Object.keys(byRoute).sort()).toEqual(FAST_LANE.map((r) => r.route).sort());
		let compared = 0;
		for (const route of FAST_LANE) {
			for (const request of byRoute[route.route]) {
				// In turn, so each door's tile cache sees the same sequence of requests.
				const fast = await seen(start, request.path, request);
				const framework = await seen(noFastLane, request.path, request);
				expect(fast, `${route.route}: ${request.path}`).toEqual(framework);
				compared++;
			}
		}
		expect(compared).toBe(Object.values(byRoute).flat().length);
	});
});

describe('npm run dev and npm start', () => {
	/** Every endpoint of the README, as a request that writes nothing. */
	const requests = (ids: { grid: string; issue: string; person: string; lng: number; lat: number }) => [
		['GET', '/api/health'],
		['GET', '/api/stats'],
		['GET', `/tiles/grids.json`],
		['GET', `/tiles/grids/14/13000/6800.pbf`],
		['GET', `/api/areas/grid/${ids.grid}`],
		['GET', `/api/areas/grid/${ids.grid}/issues`],
		['GET', `/api/areas/at?lng=${ids.lng}&lat=${ids.lat}`],
		['GET', `/api/areas/grid/${ids.grid}/roster`],
		['GET', `/api/owner?lng=${ids.lng}&lat=${ids.lat}`],
		['POST', '/api/owner', { points: [[ids.lng, ids.lat]] }],
		['GET', `/api/issues?bbox=105.7,28.7,105.9,28.9&limit=5`],
		['GET', `/api/issues/${ids.issue}`],
		['GET', `/api/issues.csv?bbox=${ids.lng - 0.001},${ids.lat - 0.001},${ids.lng + 0.001},${ids.lat + 0.001}`],
		['GET', `/api/people/${ids.person}`],
		['POST', '/api/assignments', { person_code: ids.person, role: 'no_such_role' }],
		['POST', '/api/assignments/1/end', {}],
		['POST', '/api/boundaries/preview', { level: 'grid', code: ids.grid }],
		['POST', '/api/boundaries/apply', { level: 'grid', code: ids.grid }],
		['GET', '/api/coverage'],
		['GET', `/api/me/buildings`],
		['GET', '/api/search?q=桂园'],
		['GET', '/api/choropleth?level=grid&metric=overdue'],
		['GET', '/api/layers/streets'],
		['GET', '/api/session'],
		['GET', '/api/no-such-endpoint']
	] as [string, string, unknown?][];

	it('answer every endpoint of the README alike', async () => {
		const { rows } = await t.db.knex.raw(`
			SELECT (SELECT code FROM grids ORDER BY code LIMIT 1) AS grid, (SELECT code FROM issues ORDER BY code LIMIT 1) AS issue,
				(SELECT code FROM people ORDER BY code LIMIT 1) AS person, (SELECT ST_X(anchor) FROM buildings ORDER BY code LIMIT 1) AS lng,
				(SELECT ST_Y(anchor) FROM buildings ORDER BY code LIMIT 1) AS lat`);
		const devCookie = await signIn(dev, 'demo-planner');
		for (const [method, path, body] of requests(rows[0])) {
			const ask = (server: RunningServer, cookie: string) =>
				fetch(`${server.url}${path}`, {
					method,
					headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
					body: body ? JSON.stringify(body) : undefined
				}).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.text() }));
			const [a, b] = [await ask(start, cookies.planner), await ask(dev, devCookie)];
			expect(b, `${method} ${path}`).toEqual(a);
			expect(a.status, `${method} ${path}`).toBeLessThan(500);
		}
	});

	it('refuse a Host they do not answer for alike, before any data', async () => {
		// An address of no interface here (TEST-NET-3): vite lets any address through its own
		// host check, so under dev it is the app's hook that must refuse it.
		const host = '203.0.113.9';
		for (const server of [start, noFastLane, dev]) {
			for (const path of ['/', '/api/stats', `/api/owner?lng=105.81&lat=28.82`, '/open311/v2/services.json', '/ogc/collections']) {
				const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
					http.get(`${server.url}${path}`, { headers: { host: `${host}:${new URL(server.url).port}` } }, (res) => {
						let text = '';
						res.setEncoding('utf8').on('data', (d) => (text += d));
						res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'] ?? '', body: text }));
					}).on('error', reject);
				});
				expect(answer.status, `${server.url}${path}: ${answer.body.slice(0, 200)}`).toBe(421);
				expect(answer.type).toMatch(/^application\/json/);
				expect(JSON.parse(answer.body).message).toMatch(new RegExp(`^host '${host.replaceAll('.', '\\.')}' is not one this server answers for`));
			}
		}
	});
});

describe('the tile cache', () => {
	async function tile(path: string, cookie: string, headers: Record<string, string> = {}) {
		const res = await fetch(`${start.url}${path}`, { headers: { cookie, ...headers } });
		const bytes = new Uint8Array(await res.arrayBuffer());
		return { status: res.status, cache: res.headers.get('x-tile-cache'), etag: res.headers.get('etag'), bytes };
	}

	it('never gives a territory the tile cached for another', async () => {
		// A tile holding issues of the grid worker's grid and of its neighbours.
		const { rows } = await t.db.knex.raw(`
			SELECT ST_X(ST_Centroid(g.geom)) AS lng, ST_Y(ST_Centroid(g.geom)) AS lat FROM grids g
			JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' ORDER BY g.code LIMIT 1`);
		const [z, x, y] = tileAt(rows[0].lng, rows[0].lat, 13);
		const path = `/tiles/issues/${z}/${x}/${y}.pbf`;
		const planner = [await tile(path, cookies.planner), await tile(path, cookies.planner)];
		expect(planner.map((r) => r.cache)).toEqual(['miss', 'hit']);
		const worker = [await tile(path, cookies.grid), await tile(path, cookies.grid)];
		expect(worker.map((r) => r.cache)).toEqual(['miss', 'hit']);
		const everyone = decode(planner[1].bytes, 'issues').map((f) => f.properties.code);
		const mine = decode(worker[1].bytes, 'issues').map((f) => f.properties.code);
		const { rows: inside } = await t.db.knex.raw(
			`SELECT i.code FROM issues i WHERE i.code = ANY(?) AND EXISTS (
				SELECT 1 FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
				JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' AND ST_Covers(g.geom, i.geom)) ORDER BY i.code`,
			[everyone as string[]]
		);
		expect(mine.length).toBeGreaterThan(0);
		expect(mine.length).toBeLessThan(everyone.length);
		expect([...mine].sort()).toEqual(inside.map((r: { code: string }) => r.code));
		expect(worker[0].etag).not.toBe(planner[0].etag);
	});

	it('answers a current ETag with 304, and a write makes only its own layer stale', async () => {
		const { rows } = await t.db.knex.raw(`SELECT ST_X(anchor) AS lng, ST_Y(anchor) AS lat, b.id FROM buildings b ORDER BY b.code LIMIT 1`);
		const [z, x, y] = tileAt(rows[0].lng, rows[0].lat, 15);
		const issues = `/tiles/issues/${z}/${x}/${y}.pbf`;
		const buildings = `/tiles/buildings/${z}/${x}/${y}.pbf`;
		await tile(issues, cookies.planner);
		const warm = await tile(buildings, cookies.planner);
		expect((await tile(buildings, cookies.planner, { 'if-none-match': warm.etag! })).status).toBe(304);

		await t.db.knex.raw(`UPDATE issues SET title = title || '.' WHERE id = (SELECT min(id) FROM issues)`);
		// The server hears of the write by NOTIFY; give it a moment.
		let after = await tile(issues, cookies.planner);
		for (let i = 0; i < 20 && after.cache === 'hit'; i++) {
			await new Promise((r) => setTimeout(r, 50));
			after = await tile(issues, cookies.planner);
		}
		expect(after.cache).toBe('miss');
		const untouched = await tile(buildings, cookies.planner);
		expect(untouched).toMatchObject({ cache: 'hit', etag: warm.etag });
		expect((await tile(buildings, cookies.planner, { 'if-none-match': warm.etag! })).status).toBe(304);
	});
});
