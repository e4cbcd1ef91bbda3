/**
 * The case API over HTTP, as a client meets it: versions through ETag and If-Match (428
 * without, 412 when stale), a forbidden transition's 409 naming the allowed ones, photos
 * checked by content and served only to who may read the case, the public form's honeypot,
 * rate limit and indifference to internal fields, the exports, and bad reports refused with
 * a message naming the field while nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import sharp from 'sharp';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let t: TestDatabase;
let server: RunningServer;
const cookies: Record<string, string> = {};
let point: { lng: number; lat: number };

beforeAll(async () => {
	t = await createTestDatabase('sample');
	server = await startServer({ DATABASE_URL: t.url, PUBLIC_REPORTS_PER_10_MIN: '3' });
	for (const u of ['demo-grid', 'demo-community', 'demo-building', 'demo-admin']) {
		const res = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'demo' }) });
		cookies[u] = res.headers.get('set-cookie')!.split(';')[0];
	}
	const { rows } = await t.db.knex.raw(`
		SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g
		JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
		JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' ORDER BY g.code LIMIT 1`);
	point = { lng: Number(rows[0].lng), lat: Number(rows[0].lat) };
}, 300_000);

afterAll(async () => {
	await server?.stop();
	await t?.drop();
});

function call(path: string, user: string | null, init: RequestInit = {}) {
	return fetch(`${server.url}${path}`, { ...init, headers: { ...(user ? { cookie: cookies[user] } : {}), ...(init.headers as Record<string, string>) } });
}
/**
 * Declares a body of `bytes` and waits for the answer before sending any of it: a server that
 * refuses by the declared length answers at once. (Sending the whole body races the server's
 * early answer and close: the client then sees EPIPE instead of the 413.)
 */
function declareBody(path: string, user: string, bytes: number, type: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const request = http.request(`${server.url}${path}`, { method: 'POST', headers: { cookie: cookies[user], 'content-type': type, 'content-length': String(bytes) } }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (d) => (body += d));
			res.on('end', () => {
				request.destroy();
				resolve({ status: res.statusCode ?? 0, body });
			});
		});
		request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
		request.flushHeaders();
	});
}
const postJson = (path: string, user: string | null, body: unknown, headers: Record<string, string> = {}) =>
	call(path, user, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const report = (over: Record<string, unknown> = {}) => ({ category: 'environment', description: '垃圾未清运', ...point, ...over });

describe('versions', () => {
	it('answers a write without If-Match with 428, a stale one with 412, and a forbidden move with 409 naming the allowed ones', async () => {
		const created = await postJson('/api/cases', 'demo-grid', report());
		expect(created.status).toBe(201);
		const { code, version } = await created.json();
		expect(created.headers.get('etag')).toBe(`"v${version}"`);
		expect(created.headers.get('location')).toBe(`/api/cases/${code}`);

		const read = await call(`/api/cases/${code}`, 'demo-community');
		const etag = read.headers.get('etag')!;
		const none = await postJson(`/api/cases/${code}/transitions`, 'demo-community', { to: 'registered' });
		expect([none.status, (await none.json()).message]).toEqual([428, 'If-Match is required: send the ETag of the case as you last read it']);
		const closed = await postJson(`/api/cases/${code}/transitions`, 'demo-community', { to: 'closed' }, { 'if-match': etag });
		expect([closed.status, (await closed.json()).message]).toEqual([409, 'a case that is reported cannot become closed; allowed to you: registered, rejected']);
		const ok = await postJson(`/api/cases/${code}/transitions`, 'demo-community', { to: 'registered' }, { 'if-match': etag });
		expect(ok.status).toBe(200);
		expect(ok.headers.get('etag')).toBe(`"v${version + 1}"`);
		const stale = await postJson(`/api/cases/${code}/transitions`, 'demo-community', { to: 'dispatched' }, { 'if-match': etag });
		expect(stale.status).toBe(412);
		expect(stale.headers.get('etag')).toBe(`"v${version + 1}"`);
		const events = await t.db.knex('issue_events').join('issues', 'issues.id', 'issue_events.issue_id').where('issues.code', code).count({ n: '*' });
		expect(Number(events[0].n)).toBe(2);
	});
});

describe('reporting at once', () => {
	it('turns 200 reports sent concurrently into 200 cases with 200 creation events', async () => {
		const before = await tableCounts(t.db);
		const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => postJson('/api/cases', 'demo-grid', report({ description: `同时上报 ${i}` }))));
		expect(answers.map((a) => a.status)).toEqual(Array(200).fill(201));
		const codes = await Promise.all(answers.map(async (a) => (await a.json()).code));
		expect(new Set(codes).size).toBe(200);
		const after = await tableCounts(t.db);
		expect([after.issues - before.issues, after.issue_events - before.issue_events]).toEqual([200, 200]);
		const { rows } = await t.db.knex.raw(`SELECT count(*)::int AS n FROM issue_events e JOIN issues i ON i.id = e.issue_id WHERE e.kind = 'created' AND i.code = ANY(?)`, [codes]);
		expect(rows[0].n).toBe(200);
	});

	it('files a report retried with its idempotency key once', async () => {
		const body = report({ description: '重试的上报', idempotency_key: 'phone-7f3a-0001' });
		const answers = await Promise.all([1, 2, 3].map(() => postJson('/api/cases', 'demo-grid', body)));
		const codes = await Promise.all(answers.map(async (a) => (await a.json()).code));
		expect(new Set(codes).size).toBe(1);
		expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
		expect(await t.db.knex('issues').where({ idempotency_key: 'phone-7f3a-0001' }).count({ n: '*' })).toEqual([{ n: '1' }]);
	});
});

describe('photos', () => {
	it('takes a photo upright and without metadata, attaches it to a report, and serves it only to who may read the case', async () => {
		const jpeg = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#36c' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
		const up = await call('/api/photos', 'demo-grid', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array(jpeg) });
		expect(up.status).toBe(201);
		const { token, width, height } = await up.json();
		expect([width, height]).toEqual([100, 300]);
		const created = await postJson('/api/cases', 'demo-grid', report({ photos: [token] }));
		const { code } = await created.json();
		const record = await (await call(`/api/cases/${code}`, 'demo-grid')).json();
		expect(record.photos).toHaveLength(1);
		const path = `/api/cases/${code}/photos/${record.photos[0].id}`;
		const served = await call(path, 'demo-community');
		expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
		const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
		expect([meta.width, meta.height, meta.exif, meta.orientation]).toEqual([100, 300, undefined, undefined]);
		expect((await call(`${path}?size=thumb`, 'demo-grid')).headers.get('content-type')).toBe('image/webp');
		// The reporter's list shows it with its first photo as the thumbnail.
		const mine = await (await call('/api/cases?list=reported_by_me&limit=1000', 'demo-grid')).json();
		expect(mine.items.find((i: { code: string }) => i.code === code)?.photo_id).toBe(record.photos[0].id);
		expect((await call(path, 'demo-building')).status).toBe(404);
		expect((await call(path, null)).status).toBe(401);
		// A token is used once.
		const again = await postJson('/api/cases', 'demo-grid', report({ photos: [token] }));
		expect([again.status, (await again.json()).message]).toEqual([400, 'photos[0] is not a photo you uploaded and have not used yet']);
	});

	it('refuses a 50 MB photo, a PDF named .jpg and text posing as PNG, writing nothing', async () => {
		const before = await tableCounts(t.db);
		const photos = await t.db.knex('case_photos').count({ n: '*' });
		const big = await declareBody('/api/photos', 'demo-grid', 50 * 1024 * 1024, 'image/jpeg');
		expect([big.status, JSON.parse(big.body).message]).toEqual([413, 'the body is too large: at most 10485760 bytes']);
		const pdf = await call('/api/photos', 'demo-grid', { method: 'POST', headers: { 'content-type': 'image/jpeg', 'content-disposition': 'attachment; filename="photo.jpg"' }, body: new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n') });
		expect([pdf.status, (await pdf.json()).message]).toEqual([415, 'the photo is not a JPEG, PNG or WebP image (its content is PDF)']);
		const html = await call('/api/photos', 'demo-grid', { method: 'POST', headers: { 'content-type': 'image/png' }, body: '<html><script>alert(1)</script></html>' });
		expect(html.status).toBe(415);
		expect(await tableCounts(t.db)).toEqual(before);
		expect(await t.db.knex('case_photos').count({ n: '*' })).toEqual(photos);
	});
});

describe('bad reports', () => {
	it('names the field of an unknown category, a point outside the county, HTML in the text, and writes nothing', async () => {
		const before = await tableCounts(t.db);
		const cases: [Record<string, unknown>, number, string][] = [
			[report({ category: 'ufo' }), 400, "category 'ufo' is unknown"],
			[report({ lng: 121.47, lat: 31.23 }), 400, 'is outside Hejiang County'],
			[report({ description: '<img src=x onerror=alert(1)>' }), 400, 'description must be plain text; it contains markup (<img src=x onerror=alert(1)>)'],
			[report({ lng: 'east' }), 400, 'lng must be a number'],
			[report({ matter_type: 'huge' }), 400, 'matter_type must be one of major, practical, important, urgent, difficult'],
			[report({ photos: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }), 400, 'photos may hold at most 6 entries, got 7'],
			[{ ...point, category: 'environment' }, 400, 'description is required']
		];
		for (const [body, status, message] of cases) {
			const res = await postJson('/api/cases', 'demo-grid', body);
			expect(res.status, JSON.stringify(body)).toBe(status);
			expect((await res.json()).message).toContain(message);
		}
		expect(await tableCounts(t.db)).toEqual(before);
	});
});

describe('the public form', () => {
	it('takes a report without an account, ignores status and handler sent with it, and gives a rating link that works once resolved', async () => {
		const res = await postJson('/api/cases/public', null, { ...report({ category: 'noise', description: '夜间施工噪音' }), status: 'closed', handler: { kind: 'department', code: 'D001' }, matter_type: 'major', name: '李女士' });
		expect(res.status).toBe(201);
		const body = await res.json();
		expect(Object.keys(body).sort()).toEqual(['code', 'rating_link', 'status']);
		const row = await t.db.knex('issues').where({ code: body.code }).first('status', 'matter_type', 'handler_kind', 'source', 'reporter_name');
		expect(row).toEqual({ status: 'reported', matter_type: 'practical', handler_kind: 'grid_worker', source: 'resident', reporter_name: '李女士' });
		const token = new URL(body.rating_link, server.url).searchParams.get('token');
		const early = await postJson(`/api/cases/${body.code}/rating`, null, { rating: 5, token });
		expect(early.status).toBe(409);
		await t.db.knex('issues').where({ code: body.code }).update({ status: 'resolved' });
		expect((await postJson(`/api/cases/${body.code}/rating`, null, { rating: 4, token: 'wrong-token' })).status).toBe(404);
		expect((await postJson(`/api/cases/${body.code}/rating`, null, { rating: 4, token })).status).toBe(204);
		expect(await t.db.knex('issues').where({ code: body.code }).first('rating', 'rating_source')).toEqual({ rating: 4, rating_source: 'reporter' });
	});

	it('refuses a filled honeypot and more than the limit of reports per address', async () => {
		const before = await tableCounts(t.db);
		const bot = await postJson('/api/cases/public', null, { ...report(), website: 'http://spam.example' });
		expect([bot.status, (await bot.json()).message]).toEqual([400, 'website must be left empty']);
		expect(await tableCounts(t.db)).toEqual(before);
		// The limit is 3 per 10 minutes in this server; the honeypot and earlier report counted.
		const answers = [];
		for (let i = 0; i < 3; i++) answers.push((await postJson('/api/cases/public', null, report({ description: `第${i}次` }))).status);
		expect(answers).toEqual([201, 429, 429]);
	});
});

describe('exports', () => {
	it('exports the caller’s cases as CSV and GeoJSON, the same rows, limited to the territory', async () => {
		const csv = await (await call('/api/cases.csv?category=environment', 'demo-grid')).text();
		const geojson = await (await call('/api/cases.geojson?category=environment', 'demo-grid')).json();
		const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
		expect(lines[0].split(',').slice(0, 3)).toEqual(['code', 'title', 'category']);
		expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(geojson.features.map((f: { id: string }) => f.id));
		const { rows } = await t.db.knex.raw(`
			SELECT count(*)::int AS n FROM issues i WHERE i.category = 'environment' AND ST_Covers(
				(SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
				 JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid'), i.geom)`);
		expect(geojson.features).toHaveLength(rows[0].n);
		expect((await call('/api/cases.csv', null)).status).toBe(401);
	});
});
