/**
 * OGC API – Features as a county GIS office meets it: GDAL's own OAPIF driver (Debian's
 * gdal-bin, which `npm test` installs) lists every collection and copies each layer with
 * exactly the rows an independent SQL statement gives for the same account; bbox, property
 * filters and CQL2 filters return the rows SQL counts; next links page through a 10,000-row
 * layer returning every row once; CRS and bbox-crs follow Part 2's axis order; every bad
 * parameter is a 400 in OGC's exception JSON naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const run = promisify(execFile);
const LAYERS = ['streets', 'communities', 'grids', 'compounds', 'buildings', 'issues', 'renovation', 'flood'];
const TABLES: Record<string, string> = { renovation: 'renovation_projects', flood: 'flood_spots' };
const table = (layer: string) => TABLES[layer] ?? layer;

let t: TestDatabase;
let server: RunningServer;
let dir: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
	t = await createTestDatabase('sample');
	server = await startServer({ DATABASE_URL: t.url });
	for (const username of ['demo-grid', 'demo-admin', 'demo-community']) {
		const res = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
		expect(res.status, username).toBe(200);
		cookies[username] = res.headers.get('set-cookie')!.split(';')[0];
	}
	dir = mkdtempSync(path.join(tmpdir(), 'ogc-'));
}, 300_000);

afterAll(async () => {
	await server?.stop();
	await t?.drop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** GDAL with the account's session cookie (or none). */
async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[], username?: string): Promise<string> {
	const config = username ? ['--config', 'GDAL_HTTP_COOKIE', cookies[username]] : [];
	const { stdout } = await run(tool, [...config, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GDAL_HTTP_TIMEOUT: '120' } });
	return stdout;
}

/** Every feature code GDAL copies out of a layer (ogr2ogr to GeoJSON, read back). */
async function copied(layer: string, username?: string, extra: string[] = []): Promise<string[]> {
	const out = path.join(dir, `${layer}-${username ?? 'anon'}-${Math.random().toString(36).slice(2)}.geojson`);
	await gdal('ogr2ogr', ['-f', 'GeoJSON', out, `OAPIF:${server.url}/ogc`, layer, ...extra], username);
	const features = JSON.parse(readFileSync(out, 'utf8')).features as { properties: { code: string } }[];
	return features.map((f) => f.properties.code).sort();
}

/**
 * The rows a user may read, written independently of the server's territory module: the
 * union of the user's grids; points (issues, building anchors) covered by it, areas sharing
 * more than a boundary with it; outline layers whole.
 */
async function codesFor(layer: string, username: string | null): Promise<string[]> {
	const outline = ['streets', 'communities', 'grids', 'compounds'].includes(layer);
	if (outline || username === 'demo-admin') return (await t.db.knex(table(layer)).pluck('code')).sort();
	if (username === null) return [];
	const territory = `(SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker'
		AND a.valid_from <= current_date AND (a.valid_to IS NULL OR a.valid_to > current_date)
		JOIN users u ON u.person_id = a.person_id WHERE u.username = :username)`;
	const test =
		layer === 'buildings'
			? `ST_Covers(${territory}, x.anchor)`
			: layer === 'issues'
				? `ST_Covers(${territory}, x.geom)`
				: `ST_Intersects(${territory}, x.geom) AND NOT ST_Touches(${territory}, x.geom)`;
	const { rows } = await t.db.knex.raw(`SELECT x.code FROM ${table(layer)} x WHERE ${test}`, { username });
	return rows.map((r: { code: string }) => r.code).sort();
}

async function items(query: string, username?: string): Promise<{ status: number; body: any; headers: Headers }> {
	const res = await fetch(`${server.url}/ogc/collections/${query}`, { headers: username ? { cookie: cookies[username] } : {} });
	return { status: res.status, body: await res.json(), headers: res.headers };
}

describe('GDAL OAPIF', () => {
	it('lists every collection', async () => {
		const out = await gdal('ogrinfo', ['-ro', '-q', `OAPIF:${server.url}/ogc`]);
		const names = [...out.matchAll(/^\d+: (\w+)/gm)].map((m) => m[1]);
		expect(names).toEqual(LAYERS);
	}, 120_000);

	it.each(LAYERS)('copies %s with exactly the rows SQL gives the grid worker, the admin and an anonymous caller', async (layer) => {
		for (const username of ['demo-grid', 'demo-admin', null] as const) {
			const expected = await codesFor(layer, username);
			expect(await copied(layer, username ?? undefined), `${layer} for ${username ?? 'anonymous'}`).toEqual(expected);
			if (username === 'demo-grid' && !['streets', 'communities', 'grids', 'compounds'].includes(layer)) {
				// The grid worker's part is a real subset: the test would notice a filter that let everything through.
				const all = await t.db.knex(table(layer)).count({ n: '*' });
				expect(expected.length).toBeLessThan(Number(all[0].n));
				if (layer === 'buildings' || layer === 'issues') expect(expected.length).toBeGreaterThan(0);
			}
		}
	}, 300_000);

	it('a bbox (-spat) and a property filter (-where) return the rows SQL counts', async () => {
		const box = [105.815, 28.8, 105.835, 28.815];
		const spat = await copied('buildings', 'demo-admin', ['-spat', ...box.map(String)]);
		const { rows } = await t.db.knex.raw('SELECT code FROM buildings WHERE ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326)) ORDER BY code', box);
		expect(spat).toEqual(rows.map((r: { code: string }) => r.code).sort());
		expect(spat.length).toBeGreaterThan(5);

		const [{ code: community }] = (await t.db.knex.raw('SELECT code FROM communities ORDER BY code LIMIT 1 OFFSET 2')).rows;
		const where = await copied('grids', undefined, ['-where', `community_code = '${community}'`]);
		const { rows: grids } = await t.db.knex.raw('SELECT g.code FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.code = ? ORDER BY g.code', [community]);
		expect(where).toEqual(grids.map((r: { code: string }) => r.code));
		expect(where.length).toBeGreaterThan(1);
	}, 180_000);
});

describe('personal access tokens (desktop GIS)', () => {
	it('GDAL with a bearer token copies exactly the token holder’s rows; a bad token is a 401 exception', async () => {
		const issued = await fetch(`${server.url}/api/access-tokens`, {
			method: 'POST',
			headers: { cookie: cookies['demo-admin'], 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({ username: 'demo-grid', label: 'QGIS at the county GIS office' })
		});
		expect(issued.status).toBe(201);
		const { token } = await issued.json();
		const out = path.join(dir, 'issues-token.geojson');
		await run('ogr2ogr', ['--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${token}`, '-f', 'GeoJSON', out, `OAPIF:${server.url}/ogc`, 'issues'], { maxBuffer: 64 * 1024 * 1024 });
		const codes = JSON.parse(readFileSync(out, 'utf8')).features.map((f: { properties: { code: string } }) => f.properties.code).sort();
		expect(codes).toEqual(await codesFor('issues', 'demo-grid'));
		const refused = await fetch(`${server.url}/ogc/collections/issues/items`, { headers: { authorization: 'Bearer wgz_not-a-token' } });
		expect(refused.status).toBe(401);
		expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
		expect((await refused.json()).code).toBe('NotAuthenticated');
	}, 120_000);
});

describe('CQL2 filters', () => {
	const cases: [string, string, string][] = [
		["status IN ('reported', 'registered') AND urgency = 'urgent'", "status IN ('reported', 'registered') AND urgency = 'urgent'", 'issues'],
		["NOT (category = 'parking') AND reported_at >= TIMESTAMP('2026-01-01T00:00:00Z')", "NOT (category = 'parking') AND reported_at >= '2026-01-01T00:00:00Z'", 'issues'],
		[
			'S_INTERSECTS(geometry, POLYGON((105.81 28.80, 105.84 28.80, 105.84 28.82, 105.81 28.80)))',
			"ST_Intersects(geom, ST_GeomFromText('POLYGON((105.81 28.80, 105.84 28.80, 105.84 28.82, 105.81 28.80))', 4326))",
			'issues'
		],
		['S_INTERSECTS(geometry, BBOX(105.815, 28.8, 105.835, 28.815)) AND floors BETWEEN 4 AND 9', 'ST_Intersects(geom, ST_MakeEnvelope(105.815, 28.8, 105.835, 28.815, 4326)) AND floors BETWEEN 4 AND 9', 'buildings'],
		["name LIKE '%1%' OR is_old = true", "name LIKE '%1%' OR is_old", 'compounds']
	];
	it.each(cases)('%s returns the rows SQL counts', async (filter, sql, layer) => {
		const { rows } = await t.db.knex.raw(`SELECT code FROM ${table(layer)} WHERE ${sql} ORDER BY code`);
		const expected = rows.map((r: { code: string }) => r.code);
		expect(expected.length).toBeGreaterThan(0);
		const { status, body } = await items(`${layer}/items?limit=10000&filter=${encodeURIComponent(filter)}`, 'demo-admin');
		expect(status, JSON.stringify(body)).toBe(200);
		expect(body.features.map((f: { id: string }) => f.id).sort()).toEqual(expected);
		const total = Number((await t.db.knex(table(layer)).count({ n: '*' }))[0].n);
		expect(expected.length).toBeLessThan(total);
	});

	it('a grid worker filtering sees only the filtered rows of their territory', async () => {
		const filter = "status = 'closed'";
		const mine = new Set(await codesFor('issues', 'demo-grid'));
		const closed = (await t.db.knex('issues').where({ status: 'closed' }).pluck('code')).filter((c: string) => mine.has(c)).sort();
		const { body } = await items(`issues/items?limit=10000&filter=${encodeURIComponent(filter)}`, 'demo-grid');
		expect(body.features.map((f: { id: string }) => f.id).sort()).toEqual(closed);
		expect(closed.length).toBeGreaterThan(0);
	});
});

describe('paging', () => {
	it('next links page through a 10,000-row layer returning every row once, and prev links page back', async () => {
		const columns = (await t.db.knex.raw(`SELECT column_name FROM information_schema.columns WHERE table_name = 'issues' AND column_name NOT IN ('id', 'code', 'idempotency_key')`)).rows.map(
			(r: { column_name: string }) => `"${r.column_name}"`
		);
		const existing = Number((await t.db.knex('issues').count({ n: '*' }))[0].n);
		await t.db.knex.raw(
			`INSERT INTO issues (code, ${columns.join(', ')}) SELECT 'P' || lpad(n::text, 8, '0'), ${columns.map((c: string) => `i.${c}`).join(', ')}
			 FROM generate_series(1, ${10_000 - existing}) n JOIN LATERAL (SELECT * FROM issues ORDER BY id OFFSET (n % ${existing}) LIMIT 1) i ON true`
		);
		const all = (await t.db.knex('issues').pluck('code')).sort();
		expect(all).toHaveLength(10_000);
		const seen: string[] = [];
		const pages: string[] = [];
		let next: string | undefined = `${server.url}/ogc/collections/issues/items?limit=700`;
		while (next) {
			pages.push(next);
			const res: Response = await fetch(next, { headers: { cookie: cookies['demo-admin'] } });
			expect(res.status).toBe(200);
			const body: { features: { id: string }[]; links: { rel: string; href: string }[] } = await res.json();
			seen.push(...body.features.map((f: { id: string }) => f.id));
			next = body.links.find((l: { rel: string }) => l.rel === 'next')?.href;
		}
		expect(pages).toHaveLength(15);
		expect(seen).toHaveLength(10_000);
		expect([...seen].sort()).toEqual(all);
		// From the last page back to the first by prev links: the same rows, in the same order.
		const back: string[][] = [];
		let prev: string | undefined = pages.at(-1);
		while (prev) {
			const body = await (await fetch(prev, { headers: { cookie: cookies['demo-admin'] } })).json();
			back.unshift(body.features.map((f: { id: string }) => f.id));
			prev = body.links.find((l: { rel: string }) => l.rel === 'prev')?.href;
		}
		expect(back.flat()).toEqual(seen);
	}, 240_000);
});

describe('coordinate reference systems (Part 2)', () => {
	it('EPSG:4490 answers latitude first, EPSG:3857 in metres, each naming its CRS in Content-Crs', async () => {
		const [row] = (await t.db.knex.raw(`SELECT code, ST_X(geom) AS x, ST_Y(geom) AS y, ST_X(ST_Transform(geom, 3857)) AS mx, ST_Y(ST_Transform(geom, 3857)) AS my FROM issues ORDER BY id LIMIT 1`)).rows;
		const plain = await items(`issues/items/${row.code}`, 'demo-admin');
		expect(plain.headers.get('content-crs')).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
		expect(plain.body.geometry.coordinates[0]).toBeCloseTo(row.x, 7);
		const cgcs = await items(`issues/items/${row.code}?crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4490')}`, 'demo-admin');
		expect(cgcs.headers.get('content-crs')).toBe('<http://www.opengis.net/def/crs/EPSG/0/4490>');
		expect(cgcs.body.geometry.coordinates[0]).toBeCloseTo(row.y, 6);
		expect(cgcs.body.geometry.coordinates[1]).toBeCloseTo(row.x, 6);
		const mercator = await items(`issues/items/${row.code}?crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/3857')}`, 'demo-admin');
		expect(mercator.body.geometry.coordinates[0]).toBeCloseTo(row.mx, 1);
		expect(mercator.body.geometry.coordinates[1]).toBeCloseTo(row.my, 1);
	});

	it('a bbox in EPSG:3857 or in latitude-first EPSG:4490 selects what the same box in CRS84 does', async () => {
		const [w, s, e, n] = [105.815, 28.8, 105.835, 28.815];
		const [m] = (await t.db.knex.raw('SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM (SELECT ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4326), 3857) AS b) x', [w, s, e, n])).rows;
		const ids = async (q: string) => (await items(`buildings/items?limit=10000&${q}`, 'demo-admin')).body.features.map((f: { id: string }) => f.id).sort();
		const crs84 = await ids(`bbox=${w},${s},${e},${n}`);
		expect(crs84.length).toBeGreaterThan(5);
		expect(await ids(`bbox=${m.w},${m.s},${m.e},${m.n}&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/3857')}`)).toEqual(crs84);
		expect(await ids(`bbox=${s},${w},${n},${e}&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4490')}`)).toEqual(crs84);
	});
});

describe('territory', () => {
	it('a collection’s extent covers what the caller may read: nothing of the cases for an anonymous caller', async () => {
		const anonymous = (await items('issues')).body;
		expect(anonymous.extent.spatial.bbox).toEqual([]);
		expect(anonymous.extent.temporal).toBeUndefined();
		const mine = await codesFor('issues', 'demo-grid');
		const [e] = (await t.db.knex.raw(`SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom) AS x FROM issues WHERE code = ANY(?)) q`, [mine])).rows;
		const grid = (await items('issues', 'demo-grid')).body;
		expect(grid.extent.spatial.bbox[0]).toEqual([e.w, e.s, e.e, e.n].map((v: number) => Math.round(v * 1e7) / 1e7));
		const admin = (await items('issues', 'demo-admin')).body;
		expect(admin.extent.spatial.bbox[0][2] - admin.extent.spatial.bbox[0][0]).toBeGreaterThan(grid.extent.spatial.bbox[0][2] - grid.extent.spatial.bbox[0][0]);
	});

	it('a feature outside the caller’s territory is not found; inside it is', async () => {
		const mine = await codesFor('issues', 'demo-grid');
		const [outside] = (await t.db.knex('issues').whereNotIn('code', mine).orderBy('id').limit(1).pluck('code')) as string[];
		expect((await items(`issues/items/${mine[0]}`, 'demo-grid')).status).toBe(200);
		const refused = await items(`issues/items/${outside}`, 'demo-grid');
		expect(refused.status).toBe(404);
		expect(refused.body).toEqual({ code: 'NotFound', description: `no feature '${outside}' in issues` });
		expect((await items(`issues/items/${outside}`)).status).toBe(404);
	});
});

describe('bad requests', () => {
	const bad: [string, string, RegExp][] = [
		['bad CQL2', "issues/items?filter=status%20%3D%20'a'%20garbage", /filter is not valid CQL2 text at character 14/],
		['an unbalanced CQL2', "issues/items?filter=status%20%3D%20'a')", /filter is not valid CQL2 text at character 13/],
		['an unknown property in CQL2', "issues/items?filter=reporter_contact%20%3D%20'x'", /'reporter_contact' is not a queryable of issues/],
		['an unknown query parameter', 'issues/items?reporter_name=x', /unknown parameter 'reporter_name'/],
		['west > east across no antimeridian', 'issues/items?bbox=106,28,105,29', /west 106 is greater than east 105/],
		['limit 0', 'issues/items?limit=0', /limit must be a whole number from 1 to 10000/],
		['limit 10,001', 'issues/items?limit=10001', /limit must be a whole number from 1 to 10000/],
		['an unknown CRS', `issues/items?crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/2000')}`, /crs '.*2000' is not offered/],
		['an unknown bbox-crs', 'issues/items?bbox=1,2,3,4&bbox-crs=EPSG:9999', /bbox-crs 'EPSG:9999' is not offered/],
		['a datetime on a layer without time', 'grids/items?datetime=2026-01-01T00:00:00Z', /datetime does not apply to grids/],
		['a bad datetime', 'issues/items?datetime=yesterday', /datetime 'yesterday'/],
		['a wrong type in a property filter', 'buildings/items?floors=three', /floors 'three' must be a whole number/],
		['a comparison of text with a number', 'issues/items?filter=status%20%3D%203', /status is text and cannot be compared with a number/],
		['an unsupported operator', 'issues/items?filter=S_WITHIN(geometry%2C%20POINT(1%202))', /S_WITHIN is not supported/],
		['an unknown filter-lang', 'issues/items?filter=a%3D1&filter-lang=cql2-json', /filter-lang 'cql2-json' is not supported/],
		['an unknown format', 'issues/items?f=xml', /f 'xml' is not a format/],
		['a day that does not exist in CQL2', "issues/items?filter=reported_at%20%3E%20TIMESTAMP('2026-02-30T00:00:00Z')", /TIMESTAMP\('2026-02-30T00:00:00Z'\) is not an RFC 3339 date-time/],
		['year 0000 in CQL2', "renovation/items?filter=start_date%20%3E%20DATE('0000-01-01')", /DATE\('0000-01-01'\) is not a calendar date/],
		['a day that does not exist in a property filter', 'renovation/items?start_date=2026-02-30', /start_date '2026-02-30' must be a date YYYY-MM-DD that exists/],
		['year 0000 in a property filter', 'issues/items?reported_at=0000-01-01T00:00:00Z', /reported_at '0000-01-01T00:00:00Z' must be an RFC 3339 date-time/]
	];
	it.each(bad)('%s is a 400 in OGC exception JSON naming it', async (_, query, message) => {
		const { status, body, headers } = await items(query, 'demo-admin');
		expect(status).toBe(400);
		expect(headers.get('content-type')).toMatch(/^application\/json/);
		expect(Object.keys(body).sort()).toEqual(['code', 'description']);
		expect(body.code).toBe('InvalidParameterValue');
		expect(body.description).toMatch(message);
	});

	it('an unknown collection, an unknown path and a POST are OGC exceptions too', async () => {
		expect(await items('nowhere/items')).toMatchObject({ status: 404, body: { code: 'NotFound' } });
		const path = await fetch(`${server.url}/ogc/nothing/here`);
		expect(path.status).toBe(404);
		expect((await path.json()).code).toBe('NotFound');
		const post = await fetch(`${server.url}/ogc/collections`, { method: 'POST' });
		expect(post.status).toBe(405);
		expect(await post.json()).toMatchObject({ code: 'MethodNotAllowed' });
	});
});

describe('documents', () => {
	it('landing, conformance, collections and queryables are what Part 1 and Part 3 ask for', async () => {
		const landing = await (await fetch(`${server.url}/ogc`)).json();
		expect(landing.links.map((l: { rel: string }) => l.rel)).toEqual(expect.arrayContaining(['self', 'service-desc', 'service-doc', 'conformance', 'data']));
		const conformance = await (await fetch(`${server.url}/ogc/conformance`)).json();
		expect(conformance.conformsTo).toEqual(expect.arrayContaining(['http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core', 'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs', 'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text']));
		const api = await fetch(`${server.url}/ogc/api`);
		expect(api.headers.get('content-type')).toBe('application/vnd.oai.openapi+json;version=3.0');
		const collections = await (await fetch(`${server.url}/ogc/collections`, { headers: { cookie: cookies['demo-admin'] } })).json();
		expect(collections.collections.map((c: { id: string }) => c.id)).toEqual(LAYERS);
		const issues = collections.collections.find((c: { id: string }) => c.id === 'issues');
		expect(issues.extent.temporal.interval[0][0]).toMatch(/^\d{4}-/);
		expect(issues.crs).toContain('http://www.opengis.net/def/crs/EPSG/0/4490');
		const queryables = await fetch(`${server.url}/ogc/collections/issues/queryables`);
		expect(queryables.headers.get('content-type')).toMatch(/^application\/schema\+json/);
		const schema = await queryables.json();
		expect(schema.properties.status.enum).toContain('reported');
		expect(schema.properties.geometry['x-ogc-role']).toBe('primary-geometry');
		expect(schema.properties).not.toHaveProperty('reporter_contact');
	});

	it('a browser gets readable HTML in Chinese; f=json overrides it', async () => {
		const page = await fetch(`${server.url}/ogc/collections/grids/items?limit=3`, { headers: { accept: 'text/html,application/xhtml+xml' } });
		expect(page.headers.get('content-type')).toMatch(/^text\/html/);
		const text = await page.text();
		expect(text).toContain('网格');
		expect(text).toContain('下一页');
		const json = await fetch(`${server.url}/ogc/collections/grids/items?limit=3&f=json`, { headers: { accept: 'text/html' } });
		expect(json.headers.get('content-type')).toMatch(/^application\/geo\+json/);
	});
});
