/**
 * HTTP hygiene, cross-site writes and sign-in abuse (issue 8, points 7 and 8), against the
 * real server: bodies over a limit get a 413 while a real outline of 100,000 vertices fits;
 * unknown paths, methods and broken percent-encoding answer in JSON; TileJSON never echoes a
 * forged Host; every answer carries the security headers; a write from another site is
 * refused whatever its content type; sign-in is limited per address across usernames.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { circle, centroid } from '@turf/turf';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { ENDPOINT_CSP } from '../../src/server/security-headers.js';

let t: TestDatabase;
let server: RunningServer;
let admin: string;

beforeAll(async () => {
	t = await createTestDatabase('sample');
	server = await startServer({ DATABASE_URL: t.url });
	admin = await signIn('demo-admin');
}, 300_000);

afterAll(async () => {
	await server?.stop();
	await t?.drop();
});

async function signIn(username: string, headers: Record<string, string> = {}): Promise<string> {
	const res = await fetch(`${server.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify({ username, password: 'demo' })
	});
	expect(res.status, username).toBe(200);
	return res.headers.get('set-cookie')!.split(';')[0];
}

/** A request written by hand on a socket: bytes no HTTP client would send. */
function rawRequest(text: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const { port } = new URL(server.url);
		const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(text));
		let answer = '';
		socket.on('data', (d) => (answer += d));
		socket.on('end', () => resolve(answer));
		socket.on('error', reject);
	});
}

describe('body limits', () => {
	it('refuses a body over the limit with a 413 that says the limit', async () => {
		const points = Array.from({ length: 120_000 }, (_, i) => [105.8 + i * 1e-7, 28.8]);
		const res = await fetch(`${server.url}/api/owner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ points }) });
		expect(res.status).toBe(413);
		expect((await res.json()).message).toMatch(/^the body is too large: at most 2097152 bytes$/);
		const session = await fetch(`${server.url}/api/session`, { method: 'POST', body: 'x'.repeat(10_000) });
		expect(session.status).toBe(413);
	});

	it('takes a real outline of 100,000 vertices for a boundary preview, simplified within 5 cm (issue 20, point 7)', async () => {
		const { rows } = await t.db.knex.raw('SELECT code, ST_AsGeoJSON(geom) AS g FROM grids ORDER BY code LIMIT 1');
		const outline = circle(centroid(JSON.parse(rows[0].g)), 0.2, { steps: 100_000, units: 'kilometers' }).geometry;
		const body = JSON.stringify({ level: 'grid', code: rows[0].code, geometry: outline });
		expect(body.length).toBeGreaterThan(2_000_000);
		const res = await fetch(`${server.url}/api/boundaries/preview`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin }, body });
		const answer = await res.json();
		expect(res.status, answer.message).toBe(200);
		expect(answer).toMatchObject({ level: 'grid', code: rows[0].code, simplified: { vertices_before: 100_001, tolerance_m: 0.05 } });
		expect(answer.simplified.vertices_after).toBeLessThanOrEqual(20_000);
		expect(answer.area_m2.after).toBeGreaterThan(120_000);
	});

	it('stores no outline of 150,000 vertices that simplification cannot bring under 20,000, and says why', async () => {
		const { rows } = await t.db.knex.raw('SELECT code, ST_AsGeoJSON(geom) AS g, ST_NPoints(geom) AS n FROM grids ORDER BY code LIMIT 1');
		// A star of 75,000 points 40 m deep: no 5 cm simplification removes a vertex of it.
		const [cx, cy] = centroid(JSON.parse(rows[0].g)).geometry.coordinates;
		const ring = Array.from({ length: 150_000 }, (_, i) => {
			const a = (2 * Math.PI * i) / 150_000;
			const r = i % 2 === 0 ? 0.002 : 0.0016;
			return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
		});
		ring.push(ring[0]);
		const before = await tableCounts(t.db);
		for (const path of ['/api/boundaries/preview', '/api/boundaries/apply']) {
			const res = await fetch(`${server.url}${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie: admin },
				body: JSON.stringify({ level: 'grid', code: rows[0].code, geometry: { type: 'Polygon', coordinates: [ring] }, effective_date: '2026-11-01', reason: 'trace' })
			});
			expect(res.status, path).toBe(400);
			expect((await res.json()).message).toMatch(/^geometry has 150001 vertices; simplified within 5 cm it still has \d+, more than the 20000 an outline may have/);
		}
		expect(await tableCounts(t.db)).toEqual(before);
		expect((await t.db.knex.raw('SELECT ST_NPoints(geom) AS n FROM grids WHERE code = ?', [rows[0].code])).rows[0].n).toBe(rows[0].n);
	});
});

describe('answers in JSON, never an HTML page', () => {
	it.each([
		['GET', '/api/no/such/thing', 404, /^no endpoint GET \/api\/no\/such\/thing$/],
		['POST', '/api/nothing-here', 404, /^no endpoint POST \/api\/nothing-here$/],
		['GET', '/tiles/grids/1/0/0.png', 404, /^no endpoint GET/],
		['DELETE', '/api/owner', 405, /^DELETE is not allowed on \/api\/owner; allowed: GET, POST, HEAD$/],
		['GET', '/api/areas/grid/%E0%A4%A', 400, /percent-encoding/],
		['GET', '/api/stats/%FF', 400, /percent-encoding/]
	])('%s %s → %i', async (method, path, status, message) => {
		const res = await fetch(`${server.url}${path}`, { method });
		expect(res.status).toBe(status);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		expect((await res.json()).message).toMatch(message);
	});

	it('answers a request Node cannot parse (a NUL in a header) with a JSON 400', async () => {
		const answer = await rawRequest(`GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: session=a\u0000b\r\n\r\n`);
		expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
		expect(answer).toMatch(/content-type: application\/json/i);
		expect(JSON.parse(answer.split('\r\n\r\n')[1]).message).toMatch(/could not be read/);
	});
});

describe('TileJSON and the Host header', () => {
	it('builds tile URLs for hosts this server answers for, and refuses a forged one', async () => {
		const ok = await (await fetch(`${server.url}/tiles/grids.json`)).json();
		expect(ok.tiles).toEqual([`${server.url}/tiles/grids/{z}/{x}/{y}.pbf`]);
		// Refused before any door answers (host-check.test.ts covers every door).
		const forged = await rawRequest(`GET /tiles/grids.json HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
		expect(forged).toMatch(/^HTTP\/1\.1 421/);
		expect(forged).not.toContain('evil.example/tiles');
		expect(forged).toContain("host 'evil.example' is not one this server answers for");
	});
});

describe('security headers', () => {
	it('on an API answer, a tile, a page and a script', async () => {
		const page = await fetch(`${server.url}/login`);
		const html = await page.text();
		const script = /\/_app\/immutable\/[^"'\s]+\.js/.exec(html)!;
		const answers = {
			api: await fetch(`${server.url}/api/stats`),
			tile: await fetch(`${server.url}/tiles/grids/14/13017/6801.pbf`),
			page,
			script: await fetch(`${server.url}${script[0]}`)
		};
		for (const [what, res] of Object.entries(answers)) {
			expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
			expect(res.headers.get('referrer-policy'), what).toBe('same-origin');
			const csp = res.headers.get('content-security-policy')!;
			expect(csp, what).toMatch(/frame-ancestors 'none'/);
			// Nothing from another host: every source is 'self', 'none', data: or blob: (or a script hash).
			for (const directive of csp.split(';')) {
				for (const source of directive.trim().split(/\s+/).slice(1)) expect(source, `${what}: ${directive}`).toMatch(/^('self'|'none'|'unsafe-inline'|'sha256-[^']+'|data:|blob:)$/);
			}
		}
		expect(answers.api.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
		expect(answers.page.headers.get('content-security-policy')).toMatch(/worker-src 'self' blob:/);
		expect(answers.script.headers.get('content-security-policy')).toMatch(/connect-src 'self'/);
	});

	it('on every Open311 answer (JSON, XML, its 404, its refusals) and on the files beside the app', async () => {
		const open311 = {
			json: [await fetch(`${server.url}/open311/v2/services.json`), 200],
			xml: [await fetch(`${server.url}/open311/v2/services.xml`), 200],
			'no such endpoint': [await fetch(`${server.url}/open311/v2/nothing.xml`), 404],
			'a write from another site': [
				await fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'service_code=x' }),
				403
			],
			'a method it does not have': [await fetch(`${server.url}/open311/v2/services.json`, { method: 'DELETE' }), 405]
		} as const;
		for (const [what, [res, status]] of Object.entries(open311)) {
			expect(res.status, what).toBe(status);
			expect(res.headers.get('content-security-policy'), what).toBe(ENDPOINT_CSP);
			expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
		}
		// Files of static/: data, never a document that may run anything (an SVG opened on its own could).
		for (const file of ['/manifest.webmanifest', '/icons/icon.svg']) {
			const res = await fetch(`${server.url}${file}`);
			expect(res.status, file).toBe(200);
			expect(res.headers.get('content-security-policy'), file).toBe(ENDPOINT_CSP);
		}
		// The service worker runs under its own answer's policy, and fetches pages and tiles from this server.
		const worker = await fetch(`${server.url}/service-worker.js`);
		expect(worker.status).toBe(200);
		expect(worker.headers.get('content-security-policy')).toMatch(/^default-src 'self';.*connect-src 'self'/);
	});
});

describe('writes from another site (CSRF)', () => {
	it('refuses them whatever the content type, and changes nothing', async () => {
		const before = await tableCounts(t.db);
		const foreign = { origin: 'http://evil.example' };
		const attempts = [
			fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...foreign }, body: JSON.stringify({ username: 'demo-admin', password: 'demo' }) }),
			fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie: admin, ...foreign } }),
			fetch(`${server.url}/api/assignments`, {
				method: 'POST',
				headers: { 'content-type': 'text/plain', cookie: admin, ...foreign },
				body: JSON.stringify({ person_code: 'P0000001', role: 'building_head', target_code: 'B00000001', reason: 'csrf' })
			}),
			fetch(`${server.url}/api/assignments/1/end`, { method: 'POST', headers: { cookie: admin, 'sec-fetch-site': 'cross-site' }, body: '{"reason":"csrf"}' })
		];
		for (const res of await Promise.all(attempts)) {
			expect(res.status).toBe(403);
			expect((await res.json()).message).toMatch(/from another site/);
		}
		expect(await tableCounts(t.db)).toEqual(before);
		// The admin is still signed in: the foreign DELETE ended nothing.
		expect((await (await fetch(`${server.url}/api/session`, { headers: { cookie: admin } })).json()).user.username).toBe('demo-admin');
		// From this site, the same sign-out works.
		const own = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie: admin, origin: server.url, 'sec-fetch-site': 'same-origin' } });
		expect(own.status).toBe(204);
		admin = await signIn('demo-admin');
	});
});

describe('sign-in abuse', () => {
	it('limits one address across usernames (password spraying)', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 51; i++) {
			const res = await fetch(`${server.url}/api/session`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username: `sprayed-${i}`, password: 'Winter2026!' })
			});
			statuses.push(res.status);
		}
		expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
		expect(statuses[50]).toBe(429);
		// Even the right password of a real account now waits, from this address, on a browser
		// that has not signed in before (one that has is let in: tests/e2e/sign-in-limits.test.ts).
		// The wait starts short and grows with further failures, rather than 15 flat minutes.
		const res = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-planner', password: 'demo' }) });
		expect(res.status).toBe(429);
		expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(Number(res.headers.get('retry-after'))).toBe((await res.json()).retry_after);
	});
});

describe('bad input that used to answer 500 or be read too kindly (issue 8, point 5)', () => {
	const deepArrays = '['.repeat(5000) + ']'.repeat(5000);
	it.each([
		['GET', '/api/owner?lng=0x69&lat=28.8', null, /^lng must be a number, got '0x69'$/],
		['GET', '/api/owner?lng=105.8&lat=1e999', null, /^lat must be a finite number/],
		['GET', '/api/owner?lng=105.8&lat=28.8&crs=constructor', null, /^crs 'constructor' is not known/],
		['GET', '/api/owner?lng=105.8&lat=28.8&crs=__proto__', null, /^crs '__proto__' is not known/],
		['GET', '/api/owner?lng=105.8&lat=28.8&at=2026-02-30', null, /^at '2026-02-30' must be a date YYYY-MM-DD that exists$/],
		['POST', '/api/assignments/2147483648/end', '{"reason":"r"}', /^id must be a whole number from 1 to 2147483647/],
		['GET', '/api/issues/a%00b', null, /^code must not contain a NUL character$/],
		['GET', '/api/search?q=%00%00', null, /^q must not contain a NUL character$/],
		['GET', '/api/areas/grid/G1/issues?status=constructor', null, /^status 'constructor' is not one of/],
		['POST', '/api/owner', `{"points": ${deepArrays}}`, /^the body nests deeper than 32 levels$/],
		['POST', '/api/owner', '{"points": [[105.8, 28.8]], "at": "2026-02-29"}', /^at must be a date YYYY-MM-DD that exists$/],
		['POST', '/api/session', '{"username": "demo\\u0000admin", "password": "demo"}', /^username must not contain a NUL character$/],
		['POST', '/api/boundaries/preview', '{"level": "grid", "code": "G", "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}, "crs": "toString"}', /^crs 'toString' is not known/]
	])('%s %s → 400 naming the field', async (method, path, body, message) => {
		const res = await fetch(`${server.url}${path}`, { method, headers: { cookie: admin, 'content-type': 'application/json' }, body: body ?? undefined });
		expect(res.status).toBe(400);
		expect((await res.json()).message).toMatch(message);
	});

	it('treats a malformed session cookie as no session, on the fast lane and off it', async () => {
		const { rows } = await t.db.knex.raw('SELECT code FROM grids ORDER BY code LIMIT 1');
		for (const cookie of ['session=%00', 'session=%', 'session=' + 'A'.repeat(5000), 'session=a;session=b', 'session="x"']) {
			const summary = await fetch(`${server.url}/api/areas/grid/${rows[0].code}`, { headers: { cookie } });
			expect(summary.status, cookie).toBe(200);
			expect((await summary.json()).counts, cookie).toBeNull();
			expect((await fetch(`${server.url}/api/stats`, { headers: { cookie } })).status, cookie).toBe(200);
		}
	});
});
