/**
 * The Host header ("Close the leaks", point 2): a DNS-rebinding page makes an intranet user's
 * browser send its requests here under the attacker's host name, and reads the answers as its
 * own. So every request naming a host this server does not answer for is refused before either
 * door (the fast lane, SvelteKit) answers, with no data; loopback names always pass, so a
 * load balancer's health check does too. And a write's Origin is checked against the
 * configuration, not against the Host header the request brought along.
 *
 * Three servers on one database: one with nothing configured (this machine's names and
 * addresses), one with ALLOWED_HOSTS, one behind a proxy with ORIGIN.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { tileAt } from '../helpers/tiles.js';

let t: TestDatabase;
let plain: RunningServer;
let aliased: RunningServer;
let proxied: RunningServer;
/** GET paths of each kind: pages, endpoints through SvelteKit, Open311, OGC, tiles, the fast lane */
let paths: string[];

beforeAll(async () => {
	t = await createTestDatabase('sample');
	[plain, aliased, proxied] = await Promise.all([
		startServer({ DATABASE_URL: t.url }),
		startServer({ DATABASE_URL: t.url, ALLOWED_HOSTS: 'gis.example' }),
		startServer({ DATABASE_URL: t.url, ORIGIN: 'https://gis.example' })
	]);
	const { rows } = await t.db.knex.raw('SELECT code, ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids ORDER BY code LIMIT 1');
	const [z, x, y] = tileAt(rows[0].lng, rows[0].lat, 14);
	paths = [
		'/',
		'/login',
		'/api/stats',
		'/api/layers/grids',
		'/open311/v2/requests.json',
		'/open311/v2/services.xml',
		'/ogc/collections',
		`/ogc/collections/grids/items?limit=1`,
		`/tiles/grids/${z}/${x}/${y}.pbf`,
		'/tiles/grids.json',
		'/api/owner?lng=105.81&lat=28.82',
		`/api/areas/grid/${rows[0].code}`
	];
}, 300_000);

afterAll(async () => {
	await Promise.all([plain?.stop(), aliased?.stop(), proxied?.stop()]);
	await t?.drop();
});

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

const portOf = (server: RunningServer) => Number(new URL(server.url).port);

/** A request naming `host` in its Host header (fetch may not set one), sent to the server's loopback port. */
function send(server: RunningServer, path: string, host: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port: portOf(server), path, method: init.method ?? 'GET', headers: { ...init.headers, host }, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(init.body);
	});
}

/** A refused Host: 421, a JSON message naming the host and what to configure, and nothing else. */
function expectRefused(answer: Answer, host: string, what: string) {
	expect(answer.status, `${what}: ${answer.body.slice(0, 200)}`).toBe(421);
	expect(answer.headers['content-type'], what).toMatch(/^application\/json/);
	expect(answer.headers['content-security-policy'], what).toMatch(/^default-src 'none'/);
	expect(answer.headers['set-cookie'], what).toBeUndefined();
	const body = JSON.parse(answer.body);
	expect(Object.keys(body), what).toEqual(['message', 'code', 'params']);
	expect(body.message, what).toBe(`host '${host}' is not one this server answers for; add it to ALLOWED_HOSTS (comma-separated) or set ORIGIN`);
}

function signIn(server: RunningServer, host: string, origin?: string): Promise<Answer> {
	return send(server, '/api/session', host, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
		body: JSON.stringify({ username: 'demo-admin', password: 'demo' })
	});
}

describe('a Host this server does not answer for', () => {
	it('is refused on every door, with no data', async () => {
		for (const path of paths) {
			expectRefused(await send(plain, path, 'evil.example'), 'evil.example', path);
			expectRefused(await send(plain, path, `evil.example:${portOf(plain)}`), 'evil.example', `${path} with a port`);
		}
	});

	it('is refused with a session cookie too', async () => {
		const cookie = (await signIn(plain, `127.0.0.1:${portOf(plain)}`)).headers['set-cookie']![0].split(';')[0];
		for (const path of ['/api/stats', '/api/owner?lng=105.81&lat=28.82', '/open311/v2/requests.json', '/dashboard']) {
			expectRefused(await send(plain, path, 'evil.example', { headers: { cookie } }), 'evil.example', path);
		}
	});

	it('cannot sign in or write, even with an Origin that matches it', async () => {
		const before = await tableCounts(t.db);
		expectRefused(await signIn(plain, 'evil.example', 'http://evil.example'), 'evil.example', 'sign-in');
		expectRefused(await send(plain, '/api/session', 'evil.example', { method: 'DELETE', headers: { origin: 'http://evil.example' } }), 'evil.example', 'sign-out');
		expect(await tableCounts(t.db)).toEqual(before);
	});

	it('is refused on a server with ORIGIN or ALLOWED_HOSTS as well, and so is this machine’s own name there', async () => {
		for (const server of [aliased, proxied]) {
			expectRefused(await send(server, '/api/stats', 'evil.example'), 'evil.example', server.url);
			expectRefused(await send(server, '/api/owner?lng=105.81&lat=28.82', 'evil.example'), 'evil.example', server.url);
		}
		// Configured, the list is what it says: the machine's names are no longer in it.
		const name = os.hostname().toLowerCase();
		if (!['localhost', 'gis.example'].includes(name)) expectRefused(await send(aliased, '/api/stats', name), name, 'machine name');
	});
});

describe('hosts this server answers for', () => {
	it('answer as before: loopback, with or without a port', async () => {
		for (const path of paths) {
			const answer = await send(plain, path, `127.0.0.1:${portOf(plain)}`);
			expect(answer.status, `${path}: ${answer.body.slice(0, 200)}`).toBe(200);
		}
		for (const host of ['127.0.0.1', 'localhost', `localhost:${portOf(plain)}`, `[::1]:${portOf(plain)}`, 'LOCALHOST']) {
			expect((await send(plain, '/api/stats', host)).status, host).toBe(200);
		}
	});

	it('answer a load balancer’s health check on loopback, and an HTTP/1.0 probe without a Host', async () => {
		for (const server of [plain, aliased, proxied]) expect((await send(server, '/api/health', `127.0.0.1:${portOf(server)}`)).status).toBe(200);
		// No browser sends a request without a Host, so the check lets it pass; SvelteKit then
		// needs ORIGIN to know the origin (without it, adapter-node answers such a request 400).
		const raw = await new Promise<string>((resolve, reject) => {
			// Written, not ended: the server closes an HTTP/1.0 connection once it has answered.
			const socket = net.connect(portOf(proxied), '127.0.0.1', () => socket.write('GET /api/health HTTP/1.0\r\n\r\n'));
			let text = '';
			socket.on('data', (d) => (text += d));
			socket.on('end', () => resolve(text));
			socket.on('error', reject);
		});
		expect(raw).toMatch(/^HTTP\/1\.[01] 200 /);
	});

	it('include this machine’s own name when nothing is configured', async () => {
		expect((await send(plain, '/api/stats', `${os.hostname()}:${portOf(plain)}`)).status).toBe(200);
	});

	it('include ALLOWED_HOSTS, at any port, and the host of ORIGIN', async () => {
		for (const path of paths) {
			const answer = await send(aliased, path, `gis.example:${portOf(aliased)}`);
			expect(answer.status, `${path}: ${answer.body.slice(0, 200)}`).toBe(200);
		}
		expect((await send(aliased, '/api/stats', 'GIS.example:8080')).status).toBe(200);
		expect((await send(proxied, '/api/stats', 'gis.example')).status).toBe(200);
		expect((await send(proxied, '/api/owner?lng=105.81&lat=28.82', 'gis.example')).status).toBe(200);
	});
});

describe('a write’s Origin, checked against the configuration', () => {
	it('passes from an allowed host at the port the request came to, though the Host header names another', async () => {
		const port = portOf(aliased);
		const answer = await signIn(aliased, `127.0.0.1:${port}`, `http://gis.example:${port}`);
		expect(answer.status, answer.body).toBe(200);
		expect(answer.headers['set-cookie']?.[0]).toMatch(/^session=/);
	});

	it('is refused from a host not allowed, or from an allowed host at another port', async () => {
		const port = portOf(aliased);
		for (const origin of [`http://evil.example:${port}`, `http://gis.example:${port + 1}`, 'http://gis.example', 'null']) {
			const answer = await signIn(aliased, `127.0.0.1:${port}`, origin);
			expect(answer.status, origin).toBe(403);
			expect(JSON.parse(answer.body).message, origin).toMatch(/from another site/);
		}
	});

	it('must equal ORIGIN when it is set, whatever the Host header says', async () => {
		const port = portOf(proxied);
		const own = await signIn(proxied, `127.0.0.1:${port}`, 'https://gis.example');
		expect(own.status, own.body).toBe(200);
		for (const origin of [`http://127.0.0.1:${port}`, 'http://gis.example', 'https://gis.example:8443', 'https://evil.example']) {
			const answer = await signIn(proxied, `127.0.0.1:${port}`, origin);
			expect(answer.status, origin).toBe(403);
		}
	});
});
