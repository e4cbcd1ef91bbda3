/**
 * Open311 GeoReport v2 against the real server on the sample: every field the spec lists, in
 * JSON and in XML read by a real XML parser (fast-xml-parser, not our builder); a report
 * posted form-encoded with the demo key becomes a case dispatched to the grid covering its
 * point, readable as a service request and, once the community dispatches it, in the grid
 * worker's work list; bad input answers in the spec's error document, and creates nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { decode, tileAt } from '../helpers/tiles.js';

const KEY = 'demo-open311-key';
const REVOKED_KEY = 'revoked-open311-key';
const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const REQUEST_FIELDS = [
	'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
	'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'
];
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

let t: TestDatabase;
let server: RunningServer;
/** demo-grid's grid and a point inside it */
let grid: { id: number; name: string; lng: number; lat: number };

// Lists are lists even with one item; values stay text, as the spec's XML carries them.
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'attribute', 'value', 'error', 'endpoint', 'format'].includes(name) });

beforeAll(async () => {
	t = await createTestDatabase('sample');
	const { rows } = await t.db.knex.raw(
		`SELECT g.id, g.name, ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat
		 FROM users u JOIN assignments a ON a.person_id = u.person_id AND a.role = 'grid_worker'
			AND a.valid_from <= current_date AND (a.valid_to IS NULL OR a.valid_to > current_date)
		 JOIN grids g ON g.id = a.grid_id WHERE u.username = 'demo-grid' ORDER BY g.code LIMIT 1`
	);
	grid = rows[0];
	await t.db.knex('api_keys').insert({ name: 'revoked client', key_hash: createHash('sha256').update(REVOKED_KEY).digest('hex'), source: 'hotline', revoked_at: new Date() });
	server = await startServer({ DATABASE_URL: t.url });
}, 300_000);

afterAll(async () => {
	await server?.stop();
	await t?.drop();
});

async function get(path: string): Promise<Response> {
	return fetch(`${server.url}/open311/v2/${path}`);
}

/** An XML answer: checked well-formed with its declaration, then parsed. */
async function xml(res: Response): Promise<Record<string, any>> {
	expect(res.headers.get('content-type')).toMatch(/^text\/xml; charset=utf-8$/);
	const text = await res.text();
	expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
	expect(XMLValidator.validate(text)).toBe(true);
	return parser.parse(text);
}

function post(format: 'json' | 'xml', fields: Record<string, string>): Promise<Response> {
	// fetch sends URLSearchParams as application/x-www-form-urlencoded, as an Open311 client does.
	return fetch(`${server.url}/open311/v2/requests.${format}`, { method: 'POST', body: new URLSearchParams(fields) });
}

const report = (extra: Record<string, string> = {}) => ({
	api_key: KEY,
	jurisdiction_id: '510522',
	service_code: 'environment',
	lat: String(grid.lat),
	long: String(grid.lng),
	description: '楼下垃圾桶满了三天没人清运',
	first_name: '小明',
	last_name: '王',
	email: 'wang@example.org',
	phone: '13800000000',
	...extra
});

async function signIn(username: string): Promise<string> {
	const res = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
	expect(res.status, username).toBe(200);
	return res.headers.get('set-cookie')!.split(';')[0];
}

/** Errors in the spec's shape: `[{"code", "description"}]` or `<errors><error>…`. */
async function specError(res: Response, format: 'json' | 'xml', status: number, message: RegExp): Promise<void> {
	expect(res.status).toBe(status);
	if (format === 'json') {
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		const body = await res.json();
		expect(body).toEqual([{ code: status, description: expect.stringMatching(message) }]);
	} else {
		const body = await xml(res);
		expect(body.errors.error).toEqual([{ code: String(status), description: expect.stringMatching(message) }]);
	}
}

describe('discovery and services', () => {
	it('discovery names the v2 endpoint and both formats', async () => {
		const json = await (await get('discovery.json')).json();
		expect(json.endpoints).toEqual([
			{ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${server.url}/open311/v2`, changeset: expect.stringMatching(W3C), type: 'production', formats: ['text/xml', 'application/json'] }
		]);
		const doc = await xml(await get('discovery.xml'));
		expect(doc.discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
	});

	it('lists the 12 categories with every field, the same in JSON and XML', async () => {
		const res = await get('services.json');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
		const json = await res.json();
		expect(json).toHaveLength(12);
		for (const s of json) expect(Object.keys(s).sort()).toEqual([...SERVICE_FIELDS].sort());
		expect(json[0]).toEqual({
			service_code: 'environment',
			service_name: '环境卫生',
			description: '环境卫生问题，由所在网格的网格员受理。',
			metadata: true,
			type: 'realtime',
			keywords: '环境卫生,Environment,environment',
			group: '网格事项'
		});

		const doc = await xml(await get('services.xml?jurisdiction_id=510522'));
		const services = doc.services.service;
		expect(services).toHaveLength(12);
		for (const s of services) expect(Object.keys(s).sort()).toEqual([...SERVICE_FIELDS].sort());
		expect(services.map((s: { service_code: string }) => s.service_code)).toEqual(json.map((s: { service_code: string }) => s.service_code));
		expect(services[0]).toEqual({ ...json[0], metadata: 'true' });
	});

	it('gives a service definition with its attributes', async () => {
		const json = await (await get('services/environment.json')).json();
		expect(json.service_code).toBe('environment');
		expect(json.attributes.map((a: { code: string }) => a.code)).toEqual(['notice', 'title']);
		for (const a of json.attributes) expect(Object.keys(a).sort()).toEqual(['code', 'datatype', 'datatype_description', 'description', 'order', 'required', 'variable']);
		expect(json.attributes[0]).toMatchObject({ variable: false, datatype: 'text', required: false, order: 1 });
		expect(json.attributes[1]).toMatchObject({ variable: true, datatype: 'string', required: false, order: 2 });

		const doc = await xml(await get('services/environment.xml'));
		expect(doc.service_definition.service_code).toBe('environment');
		expect(doc.service_definition.attributes.attribute[1]).toMatchObject({ variable: 'true', code: 'title', datatype: 'string', required: 'false', order: '2' });
	});

	it('answers an unknown service code or jurisdiction with a 404 in the spec format', async () => {
		await specError(await get('services/no_such.json'), 'json', 404, /^service_code 'no_such' was not found; one of environment, /);
		await specError(await get('services/no_such.xml'), 'xml', 404, /^service_code 'no_such' was not found/);
		await specError(await get('services.json?jurisdiction_id=110000'), 'json', 404, /^jurisdiction_id '110000' was not found; this server serves 510522/);
		await specError(await get('requests.xml?jurisdiction_id=110000'), 'xml', 404, /^jurisdiction_id '110000' was not found/);
		await specError(await get('services.html'), 'json', 404, /^format 'html' is not served/);
		await specError(await get('no/such/thing.xml'), 'xml', 404, /^no Open311 endpoint GET \/open311\/v2\/no\/such\/thing.xml/);
		await specError(await fetch(`${server.url}/open311/v2/services.json`, { method: 'DELETE' }), 'json', 405, /^DELETE is not allowed on \/open311\/v2\/services.json/);
	});
});

describe('reporting and following a case', () => {
	let code: string;

	it('creates a case from a form-encoded POST: 201 and its service_request_id', async () => {
		const res = await post('xml', report({ 'attribute[title]': '垃圾未清运', address_string: '桂园路 12 号' }));
		const doc = await xml(res);
		expect(res.status).toBe(201);
		const [answer] = doc.service_requests.request;
		expect(answer.service_request_id).toMatch(/^C\d{8}$/);
		expect(answer.service_notice).toMatch(new RegExp(`^由${grid.name}办理，应于 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} 前办结$`));
		expect(answer.account_id).toBe('');
		code = answer.service_request_id;
		expect(res.headers.get('location')).toBe(`/open311/v2/requests/${code}.xml`);

		// Dispatched by the category's rule (environment → grid worker) to the grid that covers the point.
		const row = await t.db.knex('issues').where({ code }).first();
		const covering = (await t.db.knex.raw(`SELECT id FROM covering_grid(ST_SetSRID(ST_MakePoint(?, ?), 4326))`, [grid.lng, grid.lat])).rows[0].id;
		expect(row).toMatchObject({
			status: 'reported',
			category: 'environment',
			source: 'resident',
			title: '垃圾未清运',
			handler_kind: 'grid_worker',
			handler_grid_id: covering,
			reporter_name: '王小明',
			reporter_contact: 'wang@example.org / 13800000000',
			address: '桂园路 12 号'
		});
		expect(covering).toBe(grid.id);
	});

	it('shows it as an open service request naming the grid, without the reporter', async () => {
		const doc = await xml(await get(`requests/${code}.xml`));
		const [request] = doc.service_requests.request;
		expect(Object.keys(request).sort()).toEqual([...REQUEST_FIELDS].sort());
		expect(request).toMatchObject({
			service_request_id: code,
			status: 'open',
			status_notes: '已上报',
			service_name: '环境卫生',
			service_code: 'environment',
			description: '楼下垃圾桶满了三天没人清运',
			agency_responsible: grid.name,
			address: '桂园路 12 号',
			zipcode: '',
			media_url: ''
		});
		for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime']) expect(request[field]).toMatch(W3C);
		expect(Number(request.lat)).toBeCloseTo(grid.lat, 9);
		expect(Number(request.long)).toBeCloseTo(grid.lng, 9);

		const res = await get(`requests/${code}.json`);
		const text = await res.text();
		expect(text).not.toMatch(/王小明|wang@example\.org|13800000000/);
		const [json] = JSON.parse(text);
		expect(Object.keys(json).sort()).toEqual([...REQUEST_FIELDS].sort());
		expect(json).toMatchObject({ service_request_id: code, status: 'open', agency_responsible: grid.name, zipcode: null, media_url: null });
		expect(typeof json.lat).toBe('number');
	});

	it('lists it among requests by id, by service code and status, newest first', async () => {
		const all = await (await get('requests.json')).json();
		expect(all[0].service_request_id).toBe(code);
		expect(all.length).toBeLessThanOrEqual(1000);
		const times = all.map((r: { requested_datetime: string }) => Date.parse(r.requested_datetime));
		expect(times).toEqual([...times].sort((a, b) => b - a));

		const byId = await (await get(`requests.json?service_request_id=${code},C99999999&status=closed&service_code=noise`)).json();
		expect(byId.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([code]);
		const open = await (await get('requests.json?service_code=environment&status=open')).json();
		expect(open.some((r: { service_request_id: string }) => r.service_request_id === code)).toBe(true);
		expect(open.every((r: { service_code: string; status: string }) => r.service_code === 'environment' && r.status === 'open')).toBe(true);
		const closed = await (await get('requests.json?status=closed')).json();
		expect(closed.every((r: { status: string }) => r.status === 'closed')).toBe(true);
		const before = await (await get('requests.json?end_date=2000-01-01T00:00:00Z')).json();
		expect(before).toEqual([]);
		await specError(await get('requests.json?start_date=2026-01-01&end_date=2026-06-01'), 'json', 400, /may not span more than 90 days/);
		await specError(await get('requests.json?start_date=yesterday'), 'json', 400, /^start_date 'yesterday' must be a w3c datetime/);
		// A day that does not exist is refused, not rolled over into the next month (issue 20, point 6).
		await specError(await get('requests.json?start_date=2026-02-30'), 'json', 400, /^start_date '2026-02-30' names a day or time that does not exist$/);
		await specError(await get('requests.json?end_date=2026-04-31T10:00:00%2B08:00'), 'json', 400, /^end_date '2026-04-31T10:00:00\+08:00' names a day or time that does not exist$/);
		expect((await get('requests.json?start_date=2028-02-29&end_date=2028-03-01')).status).toBe(200);
		await specError(await get('requests/C99999999.xml'), 'xml', 404, /^service_request_id 'C99999999' was not found$/);
	});

	it('reaches the grid worker once the community dispatches it, and follows it in Open311', async () => {
		const community = await signIn('demo-community');
		for (const to of ['registered', 'dispatched']) {
			const read = await fetch(`${server.url}/api/cases/${code}`, { headers: { cookie: community } });
			expect(read.status).toBe(200);
			const res = await fetch(`${server.url}/api/cases/${code}/transitions`, {
				method: 'POST',
				headers: { cookie: community, 'content-type': 'application/json', 'if-match': read.headers.get('etag')! },
				// The note is internal (here it names the reporter and their phone, as staff notes do);
				// only the public reply may reach Open311 (issue 20, point 1).
				body: JSON.stringify(to === 'dispatched' ? { to, note: '反映人王小明 13800000000，请当天清运', public_reply: '已安排网格员今天清运' } : { to })
			});
			expect(res.status, to).toBe(200);
		}
		const worker = await signIn('demo-grid');
		const list = await (await fetch(`${server.url}/api/cases?list=handle`, { headers: { cookie: worker } })).json();
		expect(list.items.map((i: { code: string }) => i.code)).toContain(code);
		// And on the worker's map: the issue tile over the point carries it, dispatched.
		const [z, x, y] = tileAt(grid.lng, grid.lat, 16);
		const tile = await fetch(`${server.url}/tiles/issues/${z}/${x}/${y}.pbf`, { headers: { cookie: worker } });
		expect(tile.status).toBe(200);
		const onMap = decode(new Uint8Array(await tile.arrayBuffer()), 'issues').filter((f) => f.properties.code === code);
		expect(onMap.map((f) => f.properties.status)).toEqual(['dispatched']);

		const [request] = await (await get(`requests/${code}.json`)).json();
		expect(request).toMatchObject({ status: 'open', status_notes: '已派遣：已安排网格员今天清运', agency_responsible: grid.name });
		for (const path of [`requests/${code}.json`, `requests/${code}.xml`, `requests.json?service_request_id=${code}`, 'requests.json', 'requests.xml']) {
			expect(await (await get(path)).text(), path).not.toMatch(/13800000000|请当天清运|王小明/);
		}
		// The case page shows both, each for what it is.
		const record = await (await fetch(`${server.url}/api/cases/${code}`, { headers: { cookie: community } })).json();
		expect(record.events.at(-1)).toMatchObject({ to: 'dispatched', note: '反映人王小明 13800000000，请当天清运', public_reply: '已安排网格员今天清运' });
	});

	it('keeps XML well-formed when stored text holds characters XML cannot carry', async () => {
		const res = await post('json', report({ description: '井盖\u0001松动\u001b了' }));
		expect(res.status).toBe(201);
		const [{ service_request_id: id }] = await res.json();
		const [request] = (await xml(await get(`requests/${id}.xml`))).service_requests.request;
		expect(request.description).toBe('井盖\uFFFD松动\uFFFD了');
		const [json] = await (await get(`requests/${id}.json`)).json();
		expect(json.description).toBe('井盖\u0001松动\u001b了');
	});

	it('takes multipart/form-data too, answering in JSON', async () => {
		const form = new FormData();
		for (const [k, v] of Object.entries(report({ description: '路灯不亮', service_code: 'noise', first_name: 'Ming', last_name: 'Wang', email: '', phone: '' }))) form.append(k, v);
		const res = await fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', body: form });
		expect(res.status).toBe(201);
		const body = await res.json();
		expect(body).toEqual([{ service_request_id: expect.stringMatching(/^C\d{8}$/), service_notice: expect.stringMatching(/^由/), account_id: null }]);
		const row = await t.db.knex('issues').where({ code: body[0].service_request_id }).first('reporter_name', 'reporter_contact');
		expect(row).toEqual({ reporter_name: 'Ming Wang', reporter_contact: null });
	});
});

describe('bad reports', () => {
	it.each([
		['xml', {}, 'service_code', 'no_such', 400, /^service_code 'no_such' was not found; one of environment, /],
		['json', {}, 'service_code', 'no_such', 400, /^service_code 'no_such' was not found/],
		['json', {}, 'service_code', '', 400, /^service_code is required/],
		['xml', {}, 'api_key', '', 403, /^api_key is required/],
		['json', {}, 'api_key', 'not-a-key', 403, /^api_key is not valid: unknown or revoked$/],
		['xml', {}, 'api_key', REVOKED_KEY, 403, /^api_key is not valid: unknown or revoked$/],
		['json', {}, 'jurisdiction_id', '110000', 400, /^jurisdiction_id '110000' was not found/],
		['json', {}, 'lat', '39.9', 400, /is outside Hejiang County$/],
		['xml', { lat: '', long: '' }, 'address_string', '桂园路 12 号', 400, /^lat and long are required: this server cannot place address_string/],
		['json', {}, 'long', 'east', 400, /^long must be a number/],
		['json', {}, 'description', '<script>alert(1)</script>', 400, /^description must be plain text; it contains markup/],
		['json', {}, 'description', '', 400, /^description is required/],
		['json', {}, 'email', 'not an address', 400, /^email 'not an address' is not an e-mail address$/],
		['json', {}, 'media_url', 'javascript:alert(1)', 400, /^media_url 'javascript:alert\(1\)' must be an http or https URL$/]
	] as const)('%s with %o and %s=%s: %i', async (format, extra, field, value, status, message) => {
		const before = await tableCounts(t.db);
		await specError(await post(format, report({ ...extra, [field]: value })), format, status, message);
		expect(await tableCounts(t.db)).toEqual(before);
	});

	it('refuses a write from another site in the spec format', async () => {
		const res = await fetch(`${server.url}/open311/v2/requests.xml`, { method: 'POST', headers: { origin: 'http://elsewhere.example' }, body: new URLSearchParams(report()) });
		await specError(res, 'xml', 403, /^a POST from another site \(http:\/\/elsewhere.example\) is refused$/);
	});

	it('refuses a JSON body: the spec posts forms', async () => {
		const res = await fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report()) });
		await specError(res, 'json', 415, /^POST a service request as application\/x-www-form-urlencoded/);
	});
});

/**
 * What leaves through Open311 follows each category's publication (issue 20, point 1): the
 * exact point, a point rounded to 0.001°, no point or text, or nothing; a finished case stays
 * public 90 days after its last change, by id as in the list.
 */
describe('publication by category', () => {
	const WITHHELD = { description: null, address: null, address_id: null, media_url: null };
	let admin: string;
	const at = (dx: number) => ({ lat: String(grid.lat), long: String(grid.lng + dx) });
	const reportOf = async (service_code: string, dx: number) => {
		const res = await post('json', report({ service_code, ...at(dx), address_string: '桂园路 12 号', media_url: 'https://example.org/p.jpg', description: `${service_code}：3栋2单元张某` }));
		expect(res.status, service_code).toBe(201);
		return (await res.json())[0].service_request_id as string;
	};
	const one = async (code: string) => {
		const res = await get(`requests/${code}.json`);
		return { status: res.status, body: await res.json() };
	};

	beforeAll(async () => {
		admin = await signIn('demo-admin');
	});

	it('defaults: exact for the environment, rounded for noise, withheld for disputes', async () => {
		const exact = await reportOf('environment', 0.00011);
		const approximate = await reportOf('noise', 0.00012);
		const withheld = await reportOf('dispute', 0.00013);
		const [e] = (await one(exact)).body;
		expect(e).toMatchObject({ description: 'environment：3栋2单元张某', address: '桂园路 12 号', media_url: 'https://example.org/p.jpg' });
		expect(e.long).toBeCloseTo(grid.lng + 0.00011, 9);
		const [a] = (await one(approximate)).body;
		expect(a).toMatchObject({ ...WITHHELD, service_code: 'noise', lat: Number(grid.lat.toFixed(3)), long: Number((grid.lng + 0.00012).toFixed(3)) });
		const [w] = (await one(withheld)).body;
		expect(w).toMatchObject({ ...WITHHELD, service_code: 'dispute', lat: null, long: null, status: 'open', status_notes: '已上报' });
		expect(Object.keys(w).sort()).toEqual([...REQUEST_FIELDS].sort());
		const [wx] = (await xml(await get(`requests/${withheld}.xml`))).service_requests.request;
		expect(wx).toMatchObject({ lat: '', long: '', description: '', address: '' });
		// The list shows each the same way.
		const listed = (await (await get('requests.json?service_code=environment,noise,dispute')).json()) as { service_request_id: string }[];
		expect(listed.find((r) => r.service_request_id === withheld)).toEqual(w);
		expect(listed.find((r) => r.service_request_id === approximate)).toEqual(a);
	});

	it('an admin marks a category internal on /admin/cases: no service, no request, no report', async () => {
		const code = await reportOf('parking', 0.00014);
		const put = (publication: string) =>
			fetch(`${server.url}/api/case-categories/parking`, {
				method: 'PUT',
				headers: { cookie: admin, 'content-type': 'application/json' },
				body: JSON.stringify({ handler: 'community', publication })
			});
		expect((await put('secret')).status).toBe(400);
		const res = await put('internal');
		expect(res.status).toBe(200);
		expect((await res.json()).publication).toBe('internal');
		const audit = await t.db.knex('audit_log').where({ action: 'update_case_category', entity: 'case_category:parking' }).orderBy('id', 'desc').first('detail');
		expect(audit.detail).toMatchObject({ before: { publication: 'exact' }, after: { publication: 'internal' } });
		try {
			const services = (await (await get('services.json')).json()) as { service_code: string }[];
			expect(services.map((s) => s.service_code)).not.toContain('parking');
			expect(services).toHaveLength(11);
			await specError(await get(`requests/${code}.json`), 'json', 404, new RegExp(`^service_request_id '${code}' was not found$`));
			expect(await (await get(`requests.json?service_request_id=${code}`)).json()).toEqual([]);
			const listed = (await (await get('requests.json')).json()) as { service_code: string }[];
			expect(listed.some((r) => r.service_code === 'parking')).toBe(false);
			await specError(await post('json', report({ service_code: 'parking' })), 'json', 400, /^service_code 'parking' was not found/);
		} finally {
			expect((await put('exact')).status).toBe(200);
		}
		expect((await one(code)).status).toBe(200);
	});

	it('a finished case leaves Open311 90 days after its last change, by id as in the list', async () => {
		const [{ code }] = (await t.db.knex.raw(`SELECT code FROM issues WHERE category = 'environment' AND status = 'closed' ORDER BY code LIMIT 1`)).rows;
		await t.db.knex('issues').where({ code }).update({ reported_at: t.db.knex.raw(`now() - interval '100 days'`), updated_at: t.db.knex.raw(`now() - interval '89 days'`) });
		expect((await one(code)).status).toBe(200);
		const window = 'start_date=' + encodeURIComponent(new Date(Date.now() - 101 * 86_400_000).toISOString()) + '&end_date=' + encodeURIComponent(new Date(Date.now() - 99 * 86_400_000).toISOString());
		expect(((await (await get(`requests.json?${window}`)).json()) as { service_request_id: string }[]).map((r) => r.service_request_id)).toContain(code);
		await t.db.knex('issues').where({ code }).update({ updated_at: t.db.knex.raw(`now() - interval '91 days'`) });
		expect((await one(code)).status).toBe(404);
		expect(await (await get(`requests.json?service_request_id=${code}`)).json()).toEqual([]);
		expect(((await (await get(`requests.json?${window}`)).json()) as { service_request_id: string }[]).map((r) => r.service_request_id)).not.toContain(code);
	});
});
