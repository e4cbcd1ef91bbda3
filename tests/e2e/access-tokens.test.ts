/**
 * Personal access tokens (issue 12) over HTTP against the real server on PostGIS: an admin
 * issues one for a grid worker, and `Authorization: Bearer` then reads exactly what that
 * grid worker's cookie reads — through both doors (SvelteKit's endpoints and the fast lane's
 * tiles) — and that territory's issues, counted here in SQL, not by the app. A token is
 * read-only; a bad, revoked or expired one, or one whose account is disabled, is a 401 a GIS
 * client understands; only admins issue, list and revoke; the token itself is never stored
 * or listed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { tileAt } from '../helpers/tiles.js';

let t: TestDatabase;
let server: RunningServer;
const cookies: Record<string, string> = {};

const GRID_TERRITORY = `SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id JOIN users u ON u.person_id = a.person_id
	WHERE u.username = 'demo-grid' AND a.valid_to IS NULL AND a.role = 'grid_worker'`;

beforeAll(async () => {
	t = await createTestDatabase('sample');
	server = await startServer({ DATABASE_URL: t.url });
	for (const username of ['demo-admin', 'demo-grid']) {
		const res = await fetch(`${server.url}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username, password: 'demo' })
		});
		expect(res.status, username).toBe(200);
		cookies[username] = res.headers.get('set-cookie')!.split(';')[0];
	}
}, 300_000);

afterAll(async () => {
	await server?.stop();
	await t?.drop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

/** POST /api/access-tokens as a caller (a cookie), with a JSON body. */
function issue(body: unknown, cookie = cookies['demo-admin']) {
	return fetch(`${server.url}/api/access-tokens`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json', origin: server.url },
		body: JSON.stringify(body)
	});
}

async function issued(body: Record<string, unknown>): Promise<{ id: number; token: string }> {
	const res = await issue(body);
	expect(res.status, await res.clone().text()).toBe(201);
	return res.json();
}

const revoke = (id: number | string, cookie = cookies['demo-admin']) =>
	fetch(`${server.url}/api/access-tokens/${id}`, { method: 'DELETE', headers: { cookie, origin: server.url } });

describe('a personal access token', () => {
	let token: string;
	let id: number;

	it('is issued by an admin once, as wgz_ and 32 random bytes; only its SHA-256 is stored, with an audit row', async () => {
		const res = await issue({ username: 'demo-grid', label: '县自然资源局 QGIS', expires_in_days: 30 });
		expect(res.status).toBe(201);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const answer = await res.json();
		token = answer.token;
		id = answer.id;
		expect(token).toMatch(/^wgz_[A-Za-z0-9_-]{43}$/);
		expect(res.headers.get('location')).toBe(`/api/access-tokens/${id}`);
		expect(answer).toMatchObject({ username: 'demo-grid', label: '县自然资源局 QGIS', created_by: 'demo-admin', revoked_at: null, last_used_at: null, state: 'active' });
		expect(answer).not.toHaveProperty('token_hash');
		const days = (new Date(answer.expires_at).getTime() - new Date(answer.created_at).getTime()) / 86_400_000;
		expect(days).toBeCloseTo(30, 5);

		const row = await t.db.knex('access_tokens').where({ id }).first();
		expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
		expect(JSON.stringify(row)).not.toContain(token.slice(4));
		const audit = await t.db.knex('audit_log').where({ entity: `access_token:${id}` }).select('actor', 'action', 'detail');
		expect(audit).toEqual([{ actor: 'demo-admin', action: 'issue_access_token', detail: { username: 'demo-grid', label: '县自然资源局 QGIS', expires_at: answer.expires_at } }]);
		expect(JSON.stringify(audit)).not.toContain(token.slice(4));
	});

	it('acts as its account: the same answers as that account’s cookie, and exactly its territory’s issues', async () => {
		const who = await (await get('/api/session', bearer(token))).json();
		expect(who).toEqual({ user: { username: 'demo-grid', role: 'grid_worker' } });

		// Endpoints of SvelteKit's door: the same bytes as with the cookie.
		for (const path of ['/api/cases.geojson', '/api/stats', '/api/cases/counts']) {
			const withToken = await get(path, bearer(token));
			const withCookie = await get(path, { cookie: cookies['demo-grid'] });
			expect(withToken.status, path).toBe(200);
			expect(await withToken.text(), path).toBe(await withCookie.text());
		}
		const { rows } = await t.db.knex.raw(`SELECT i.code, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat FROM issues i WHERE ST_Covers((${GRID_TERRITORY}), i.geom) ORDER BY i.code`);
		expect(rows.length).toBeGreaterThan(0);
		const geojson = await (await get('/api/cases.geojson', bearer(token))).json();
		expect(geojson.features.map((f: { id: string }) => f.id).sort()).toEqual(rows.map((r: { code: string }) => r.code));
		const stats = await (await get('/api/stats', bearer(token))).json();
		expect(stats.issues).toBe(rows.length);

		// The fast lane's door: a tile over one of its issues, the same bytes as with the cookie.
		const [z, x, y] = tileAt(rows[0].lng, rows[0].lat, 16);
		const tileWithToken = await get(`/tiles/issues/${z}/${x}/${y}.pbf`, bearer(token));
		const tileWithCookie = await get(`/tiles/issues/${z}/${x}/${y}.pbf`, { cookie: cookies['demo-grid'] });
		expect(tileWithToken.status).toBe(200);
		expect(Buffer.from(await tileWithToken.arrayBuffer())).toEqual(Buffer.from(await tileWithCookie.arrayBuffer()));
		// A cache keeps answers for a token apart from anonymous ones and from other tokens.
		expect(tileWithToken.headers.get('vary')).toMatch(/\bAuthorization\b/);
		expect((await get(`/tiles/issues/${z}/${x}/${y}.pbf`)).status).toBe(204); // anonymous: no issues

		// Outside the territory: not found, as for the cookie.
		const outside = (await t.db.knex.raw(`SELECT i.code FROM issues i WHERE NOT ST_DWithin((${GRID_TERRITORY}), i.geom, 0.01) ORDER BY i.code LIMIT 1`)).rows[0];
		expect((await get(`/api/issues/${outside.code}`, bearer(token))).status).toBe(404);
		expect((await get(`/api/issues/${rows[0].code}`, bearer(token))).status).toBe(200);
	});

	// GDAL as a GIS office runs it (Debian's gdal-bin, when installed): the header from a file,
	// so the token stays out of the process list, as README advises.
	const ogrinfo = spawnSync('ogrinfo', ['--version']).status === 0;
	it.skipIf(!ogrinfo)('is sent by GDAL with GDAL_HTTP_HEADER_FILE and reads the territory’s cases', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wgz-'));
		try {
			const headers = path.join(dir, 'headers.txt');
			fs.writeFileSync(headers, `Authorization: Bearer ${token}\n`, { mode: 0o600 });
			const { rows } = await t.db.knex.raw(`SELECT count(*)::int AS n FROM issues i WHERE ST_Covers((${GRID_TERRITORY}), i.geom)`);
			const out = execFileSync('ogrinfo', ['-ro', '-so', '-al', '--config', 'GDAL_HTTP_HEADER_FILE', headers, `GeoJSON:${server.url}/api/cases.geojson`], { encoding: 'utf8' });
			expect(/Feature Count: (\d+)/.exec(out)?.[1]).toBe(String(rows[0].n));
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('notes its last use', async () => {
		// Issued unused (last_used_at null, above); now noted, between its issue and this moment
		// by the database's own clock: an order, not a time span a busy machine could stretch.
		const row = await t.db.knex('access_tokens').where({ id }).first('created_at', 'last_used_at', t.db.knex.raw('now() AS now'));
		expect(row.last_used_at).toBeInstanceOf(Date);
		expect(row.last_used_at.getTime()).toBeGreaterThanOrEqual(row.created_at.getTime());
		expect(row.last_used_at.getTime()).toBeLessThanOrEqual(row.now.getTime());
	});

	it('is read-only: any other method is a 403, and nothing is written', async () => {
		const cases = Number((await t.db.knex('issues').count({ n: '*' }))[0].n);
		const writes: [string, string, unknown][] = [
			['POST', '/api/cases', { category: 'environment', description: '测试', lng: 105.8, lat: 28.8 }],
			['DELETE', '/api/session', undefined],
			['POST', '/api/access-tokens', { username: 'demo-grid', label: 'more' }],
			['PUT', '/api/case-time-limits', { limits: [] }]
		];
		for (const [method, path, body] of writes) {
			const res = await fetch(`${server.url}${path}`, {
				method,
				headers: { ...bearer(token), 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body)
			});
			expect(res.status, `${method} ${path}`).toBe(403);
			expect((await res.json()).message).toMatch(/personal access tokens are read-only/);
		}
		expect(Number((await t.db.knex('issues').count({ n: '*' }))[0].n)).toBe(cases);
		expect(Number((await t.db.knex('access_tokens').count({ n: '*' }))[0].n)).toBe(1);
	});

	it('wins over a cookie sent beside it', async () => {
		const who = await (await get('/api/session', { ...bearer(token), cookie: cookies['demo-admin'] })).json();
		expect(who.user.username).toBe('demo-grid');
	});

	it('is listed for admins without the token or its hash', async () => {
		const res = await get('/api/access-tokens', { cookie: cookies['demo-admin'] });
		expect(res.status).toBe(200);
		const text = await res.text();
		expect(text).not.toContain(token.slice(4));
		expect(text).not.toContain(createHash('sha256').update(token).digest('hex'));
		const list = JSON.parse(text);
		expect(list).toHaveLength(1);
		expect(Object.keys(list[0]).sort()).toEqual(['created_at', 'created_by', 'expires_at', 'id', 'label', 'last_used_at', 'revoked_at', 'state', 'username']);
		expect(list[0]).toMatchObject({ id, username: 'demo-grid', state: 'active' });
		// An admin's own token lists them too: listing is a read.
		const admin = await issued({ username: 'demo-admin', label: 'admin GIS' });
		expect((await get('/api/access-tokens', bearer(admin.token))).status).toBe(200);
	});

	it('revoked, is a 401 at once, through both doors', async () => {
		const res = await revoke(id);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ id, state: 'revoked' });
		for (const path of ['/api/stats', `/tiles/issues/16/0/0.pbf`]) {
			const refused = await get(path, bearer(token));
			expect(refused.status, path).toBe(401);
			expect(refused.headers.get('www-authenticate'), path).toMatch(/^Bearer .*error="invalid_token"/);
			expect((await refused.json()).message, path).toMatch(/revoked/);
		}
		// Revoking again changes nothing and writes no second audit row.
		const again = await revoke(id);
		expect(again.status).toBe(200);
		const actions = await t.db.knex('audit_log').where({ entity: `access_token:${id}` }).orderBy('id').pluck('action');
		expect(actions).toEqual(['issue_access_token', 'revoke_access_token']);
	});
});

describe('a bearer token that is not valid', () => {
	it('malformed or unknown: a 401 with WWW-Authenticate, through both doors, never anonymous', async () => {
		const unknown = `wgz_${'A'.repeat(43)}`;
		for (const value of ['Bearer garbage', 'Bearer', 'bearer    ', `Bearer ${unknown}`, `BEARER ${unknown}`, 'Bearer wgz_short']) {
			for (const path of ['/api/stats', '/tiles/grids/14/13017/6801.pbf', '/api/session', '/']) {
				const res = await get(path, { authorization: value });
				expect(res.status, `${value} ${path}`).toBe(401);
				expect(res.headers.get('www-authenticate'), `${value} ${path}`).toMatch(/^Bearer realm="wangge", error="invalid_token"/);
				expect(res.headers.get('content-type')).toMatch(/^application\/json/);
				expect((await res.json()).message, `${value} ${path}`).toMatch(/access token/);
			}
		}
		// Another scheme (a proxy's Basic) is not ours: the request is anonymous, as without it.
		const basic = await get('/api/session', { authorization: 'Basic dXNlcjpwYXNz' });
		expect(basic.status).toBe(200);
		expect(await basic.json()).toEqual({ user: null });
	});

	it('expired: a 401', async () => {
		const { id, token } = await issued({ username: 'demo-grid', label: 'expires', expires_in_days: 1 });
		await t.db.knex('access_tokens').where({ id }).update({ created_at: t.db.knex.raw(`now() - interval '2 days'`), expires_at: t.db.knex.raw(`now() - interval '1 second'`) });
		const res = await get('/api/stats', bearer(token));
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
		const list = await (await get('/api/access-tokens', { cookie: cookies['demo-admin'] })).json();
		expect(list.find((r: { id: number }) => r.id === id).state).toBe('expired');
	});

	it('of a disabled account: a 401', async () => {
		const { token } = await issued({ username: 'demo-building', label: 'disabled later' });
		await t.db.knex('users').where({ username: 'demo-building' }).update({ disabled: true });
		try {
			expect((await get('/api/stats', bearer(token))).status).toBe(401);
			// Nor may one be issued for a disabled account.
			const res = await issue({ username: 'demo-building', label: 'x' });
			expect(res.status).toBe(400);
			expect((await res.json()).message).toMatch(/username .* disabled/);
		} finally {
			await t.db.knex('users').where({ username: 'demo-building' }).update({ disabled: false });
		}
	});
});

describe('issuing and revoking', () => {
	it('only an admin may: 401 signed out, 403 for any other role', async () => {
		const before = Number((await t.db.knex('access_tokens').count({ n: '*' }))[0].n);
		expect((await issue({ username: 'demo-grid', label: 'mine' }, '')).status).toBe(401);
		expect((await issue({ username: 'demo-grid', label: 'mine' }, cookies['demo-grid'])).status).toBe(403);
		expect((await get('/api/access-tokens', { cookie: cookies['demo-grid'] })).status).toBe(403);
		expect((await get('/api/access-tokens')).status).toBe(401);
		expect((await revoke(1, cookies['demo-grid'])).status).toBe(403);
		expect(Number((await t.db.knex('access_tokens').count({ n: '*' }))[0].n)).toBe(before);
	});

	it('refuses bad input with a 400 naming the field', async () => {
		const cases: [unknown, RegExp][] = [
			[{ label: 'x' }, /^username is required/],
			[{ username: 'nobody-here', label: 'x' }, /^username 'nobody-here' is not an account/],
			[{ username: 'demo-grid' }, /^label is required/],
			[{ username: 'demo-grid', label: '<b>x</b>' }, /^label must be plain text/],
			[{ username: 'demo-grid', label: 'x'.repeat(101) }, /^label must be at most 100/],
			[{ username: 'demo-grid', label: 'x', expires_in_days: 0 }, /^expires_in_days must be a whole number from 1 to 3650/],
			[{ username: 'demo-grid', label: 'x', expires_in_days: 1.5 }, /^expires_in_days must be a whole number/],
			[{ username: 'demo-grid', label: 'x', expires_in_days: '30' }, /^expires_in_days must be a whole number/],
			[{ username: 'demo-grid', label: 'x', expires_in_days: 3651 }, /^expires_in_days must be a whole number/],
			['not an object', /^the body must be a JSON object/]
		];
		for (const [body, message] of cases) {
			const res = await issue(body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect((await res.json()).message, JSON.stringify(body)).toMatch(message);
		}
		expect((await revoke('abc')).status).toBe(400);
		expect((await revoke(999_999)).status).toBe(404);
	});
});
