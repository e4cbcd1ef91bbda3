/**
 * Offline tiles (issue 12) against the real server on PostGIS: `npm run tiles:export` run as a
 * process for the grid worker demo account, read back with the `pmtiles` package. Every tile
 * in the archive equals the concatenation of what /tiles sends that account for each layer;
 * tiles the archive lacks are empty on /tiles (all of z10–13, and around every tile it has);
 * its issues and buildings are exactly those an independent SQL puts in the territory. Then
 * /offline serves archives by byte range to the accounts that may read them, and the map,
 * configured with MAP_PMTILES, draws from the archive with /tiles blocked.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FetchSource, PMTiles, SharedPromiseCache, tileIdToZxy, type RangeResponse, type Source } from 'pmtiles';
import { useBrowserApp, PAGE_DEFAULTS } from '../helpers/browser.js';
import { decode } from '../helpers/tiles.js';
import { nodeArgs } from '../helpers/cli.js';
import { tileRange, type ExportRecord } from '../../src/lib/server/interfaces/tile-export.js';
import type { TileLayerName } from '../../src/lib/server/tiles/tiles.js';

const LAYERS: TileLayerName[] = ['issues', 'buildings', 'grids', 'streets', 'communities', 'compounds', 'renovation', 'flood'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-pmtiles-'));
const app = useBrowserApp({ PMTILES_DIR: dir, MAP_PMTILES: '/offline/demo-grid.pmtiles', MAP_TEST_HOOKS: '1' });
const cookies: Record<string, string> = {};
let archiveBytes: Buffer;
let archive: PMTiles;
let record: ExportRecord;
/** z/x/y → the archive's (decompressed) tile */
const tiles = new Map<string, Buffer>();

class BufferSource implements Source {
	constructor(private bytes: Uint8Array) {}
	getKey() {
		return 'file';
	}
	async getBytes(offset: number, length: number): Promise<RangeResponse> {
		// A copy: a Buffer's slice is a view, and its .buffer the whole pool.
		return { data: Uint8Array.prototype.slice.call(this.bytes, offset, offset + length).buffer };
	}
}

/** Runs the export CLI; its output and how long it took. */
function runExport(args: string[]): Promise<{ code: number; output: string; ms: number }> {
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [...nodeArgs('scripts/tiles-export.ts'), ...args, '--database-url', app.t.url], {
			env: { ...process.env, DATABASE_URL: undefined },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.on('exit', (code) => resolve({ code: code ?? -1, output, ms: Date.now() - started }));
	});
}

async function signIn(username: string): Promise<string> {
	const res = await fetch(`${app.server.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password: 'demo' })
	});
	expect(res.status, username).toBe(200);
	return res.headers.get('set-cookie')!.split(';')[0];
}

/** What /tiles sends this account at z/x/y, every layer concatenated in the archive's order (fetch undoes gzip). */
async function serverTile(cookie: string, z: number, x: number, y: number): Promise<Buffer> {
	const parts: Buffer[] = [];
	for (const layer of LAYERS) {
		const res = await fetch(`${app.server.url}/tiles/${layer}/${z}/${x}/${y}.pbf`, { headers: { cookie } });
		expect([200, 204], `${layer} ${z}/${x}/${y}`).toContain(res.status);
		if (res.status === 200) parts.push(Buffer.from(await res.arrayBuffer()));
	}
	return Buffer.concat(parts);
}

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
	let next = 0;
	await Promise.all(Array.from({ length: limit }, async () => {
		while (next < items.length) await work(items[next++]);
	}));
}

beforeAll(async () => {
	// The three exports only read the database: run side by side, each waits on PostGIS while another computes.
	const others = [['demo-community', 'demo-community'], [null, 'full-view']] as const;
	const [exported, ...small] = await Promise.all([
		runExport(['--layers', LAYERS.join(','), '--minzoom', '10', '--maxzoom', '16', '--as', 'demo-grid', '--out', path.join(dir, 'demo-grid.pmtiles')]),
		...others.map(([username, file]) =>
			runExport(['--layers', 'grids,issues', '--minzoom', '12', '--maxzoom', '14', ...(username ? ['--as', username] : []), '--out', path.join(dir, `${file}.pmtiles`)])
		)
	]);
	expect(exported.code, exported.output).toBe(0);
	archiveBytes = fs.readFileSync(path.join(dir, 'demo-grid.pmtiles'));
	console.log(`[offline-tiles] demo-grid export: ${(exported.ms / 1000).toFixed(1)} s, ${archiveBytes.byteLength} bytes; ${exported.output.trim().split('\n').at(-1)}`);
	others.forEach(([username], i) => {
		expect(small[i].code, small[i].output).toBe(0);
		if (!username) expect(small[i].output).toMatch(/warning: no --as given/);
	});
	// Beside the folder, never to be served through it.
	fs.writeFileSync(path.join(dir, '..', `${path.basename(dir)}-secret.pmtiles`), 'secret');

	archive = new PMTiles(new BufferSource(archiveBytes));
	record = ((await archive.getMetadata()) as { export: ExportRecord }).export;
	// Every tile the directories address, through leaf directories and runs.
	const header = await archive.getHeader();
	const cache = new SharedPromiseCache();
	const source = new BufferSource(archiveBytes);
	const walk = async (offset: number, length: number) => {
		for (const e of await cache.getDirectory(source, offset, length, header)) {
			if (e.runLength === 0) await walk(header.leafDirectoryOffset + e.offset, e.length);
			else
				for (let id = e.tileId; id < e.tileId + e.runLength; id++) {
					const [z, x, y] = tileIdToZxy(id);
					tiles.set(`${z}/${x}/${y}`, Buffer.from((await archive.getZxy(z, x, y))!.data));
				}
		}
	};
	await walk(header.rootDirectoryOffset, header.rootDirectoryLength);
	for (const u of ['demo-grid', 'demo-community', 'demo-planner', 'demo-admin']) cookies[u] = await signIn(u);
}, 600_000);

describe('the export', () => {
	it('records the account, its territory and the layers, with the header the spec asks for', async () => {
		const header = await archive.getHeader();
		expect(header).toMatchObject({ specVersion: 3, tileType: 1, tileCompression: 2, internalCompression: 2, minZoom: 10, maxZoom: 16, clustered: true });
		expect(record).toMatchObject({ account: 'demo-grid', role: 'grid_worker', layers: LAYERS, minzoom: 10, maxzoom: 16 });
		expect(record.scope_key).toMatch(/^t[0-9a-f]{24}$/);
		// Positions are stored in 10^-7 degrees.
		[header.minLon, header.minLat, header.maxLon, header.maxLat].forEach((v, i) => expect(v).toBeCloseTo(record.bbox[i], 6));
		const { rows } = await app.t.db.knex.raw('SELECT ST_XMin(e) w, ST_YMin(e) s, ST_XMax(e) e, ST_YMax(e) n FROM (SELECT ST_Extent(geom) e FROM county) x');
		expect(record.bbox).toEqual([rows[0].w, rows[0].s, rows[0].e, rows[0].n]);
		const metadata = (await archive.getMetadata()) as { vector_layers: { id: string }[]; attribution: string; format: string };
		expect(metadata.vector_layers.map((l) => l.id)).toEqual(LAYERS);
		expect(metadata.format).toBe('pbf');
		expect(metadata.attribution).toMatch(/Vonng\/adcode/);
	});

	it('holds, for every tile, exactly the bytes /tiles sends the same account', async () => {
		expect(tiles.size).toBeGreaterThan(0);
		const entries = [...tiles.entries()];
		await eachLimited(entries, 4, async ([key, bytes]) => {
			const [z, x, y] = key.split('/').map(Number);
			const server = await serverTile(cookies['demo-grid'], z, x, y);
			expect(server.byteLength, key).toBeGreaterThan(0);
			expect(bytes.equals(server), key).toBe(true);
		});
		console.log(`[offline-tiles] ${tiles.size} tiles equal the server's`);
	});

	it('leaves out only tiles /tiles has nothing in: all of z10–13, and every neighbour and child of a tile it has', async () => {
		const checked = new Set<string>();
		const candidates: [number, number, number][] = [];
		const add = (z: number, x: number, y: number) => {
			const key = `${z}/${x}/${y}`;
			if (z < 10 || z > 16 || tiles.has(key) || checked.has(key)) return;
			const r = tileRange(record.bbox, z);
			if (x < r.x0 || x > r.x1 || y < r.y0 || y > r.y1) return;
			checked.add(key);
			candidates.push([z, x, y]);
		};
		for (let z = 10; z <= 13; z++) {
			const r = tileRange(record.bbox, z);
			for (let x = r.x0; x <= r.x1; x++) for (let y = r.y0; y <= r.y1; y++) add(z, x, y);
		}
		for (const key of tiles.keys()) {
			const [z, x, y] = key.split('/').map(Number);
			for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) add(z, x + dx, y + dy);
			for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) add(z + 1, 2 * x + dx, 2 * y + dy);
		}
		await eachLimited(candidates, 4, async ([z, x, y]) => {
			expect((await serverTile(cookies['demo-grid'], z, x, y)).byteLength, `${z}/${x}/${y}`).toBe(0);
		});
		expect(candidates.length).toBeGreaterThan(400);
		console.log(`[offline-tiles] ${candidates.length} tiles outside the archive are empty on /tiles`);
	});

	it('carries the issues and buildings of the territory, by an independent SQL, and none outside it', async () => {
		const territory = `(SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id JOIN users u ON u.person_id = a.person_id
			WHERE u.username = 'demo-grid' AND a.valid_to IS NULL AND a.role = 'grid_worker')`;
		const codes = async (sql: string) => (await app.t.db.knex.raw(sql)).rows.map((r: { code: string }) => r.code).sort();
		const inside = {
			issues: await codes(`SELECT code FROM issues WHERE ST_Covers(${territory}, geom)`),
			buildings: await codes(`SELECT code FROM buildings WHERE ST_Covers(${territory}, anchor)`)
		};
		const outsideIssue = (await codes(`SELECT code FROM issues WHERE NOT ST_Covers(${territory}, geom)`))[0];
		expect(inside.issues.length).toBeGreaterThan(0);
		expect(inside.buildings.length).toBeGreaterThan(0);
		expect(outsideIssue).toBeDefined();
		for (const layer of ['issues', 'buildings'] as const) {
			const seen = new Set<string>();
			for (const bytes of tiles.values()) for (const f of decode(bytes, layer)) seen.add(f.properties.code as string);
			expect([...seen].sort(), layer).toEqual(inside[layer]);
		}
		const everyIssue = new Set([...tiles.values()].flatMap((b) => decode(b, 'issues').map((f) => f.properties.code)));
		expect(everyIssue.has(outsideIssue)).toBe(false);
	});

	it('refuses bad arguments with exit code 2 and a line naming them', async () => {
		const out = path.join(dir, 'never.pmtiles');
		const cases: [string[], RegExp][] = [
			[['--layers', 'issues,roads', '--out', out], /unknown layer roads/],
			[['--layers', 'issues', '--minzoom', '15', '--maxzoom', '12', '--out', out], /--minzoom is above --maxzoom/],
			[['--layers', 'issues', '--bbox', '106,28,105,29', '--out', out], /west < east/],
			[['--layers', 'issues', '--as', 'nobody', '--out', out], /no enabled account named 'nobody'/],
			[['--layers', 'issues', '--out', path.join(dir, 'x.mbtiles')], /--out must end in \.pmtiles/]
		];
		for (const [args, message] of cases) {
			const r = await runExport(args);
			expect(r.code, r.output).toBe(2);
			expect(r.output).toMatch(message);
		}
		expect(fs.existsSync(out)).toBe(false);
	});
});

describe('GET /offline/{file}.pmtiles', () => {
	const url = (file: string) => `${app.server.url}/offline/${file}`;
	const get = (file: string, cookie: string | null, headers: Record<string, string> = {}) =>
		fetch(url(file), { headers: { ...(cookie ? { cookie } : {}), ...headers } });

	it('serves byte ranges of the file, and the whole file without one', async () => {
		const size = archiveBytes.byteLength;
		const cookie = cookies['demo-grid'];
		for (const [range, start, end] of [['bytes=0-126', 0, 126], ['bytes=100-', 100, size - 1], ['bytes=-10', size - 10, size - 1], [`bytes=${size - 5}-${size + 100}`, size - 5, size - 1]] as const) {
			const res = await get('demo-grid.pmtiles', cookie, { range, 'accept-encoding': 'gzip' });
			expect(res.status, range).toBe(206);
			expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
			expect(res.headers.get('accept-ranges')).toBe('bytes');
			expect(res.headers.get('content-encoding')).toBeNull();
			expect(Buffer.from(await res.arrayBuffer()).equals(archiveBytes.subarray(start, end + 1)), range).toBe(true);
		}
		const whole = await get('demo-grid.pmtiles', cookie);
		expect(whole.status).toBe(200);
		expect(whole.headers.get('content-type')).toBe('application/vnd.pmtiles');
		expect(Buffer.from(await whole.arrayBuffer()).equals(archiveBytes)).toBe(true);
		const etag = whole.headers.get('etag')!;
		expect(etag).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/);
		expect((await get('demo-grid.pmtiles', cookie, { 'if-none-match': etag })).status).toBe(304);
		// If-Range naming another version: the whole file.
		expect((await get('demo-grid.pmtiles', cookie, { range: 'bytes=0-9', 'if-range': '"old"' })).status).toBe(200);
	});

	it('answers a range it cannot satisfy with a 416 naming it', async () => {
		const size = archiveBytes.byteLength;
		for (const [range, message] of [
			[`bytes=${size}-`, /starts after the end/],
			['bytes=9-3', /ends before it starts/],
			['bytes=0-1,4-5', /several ranges/],
			['pages=0-1', /is not bytes=/],
			['bytes=-0', /no byte/]
		] as const) {
			const res = await get('demo-grid.pmtiles', cookies['demo-grid'], { range });
			expect(res.status, range).toBe(416);
			expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
			expect((await res.json()).message).toMatch(message);
		}
	});

	it('is read by the pmtiles package over HTTP as from the file', async () => {
		const remote = new PMTiles(new FetchSource(url('demo-grid.pmtiles'), new Headers({ cookie: cookies['demo-grid'] })));
		const [key, bytes] = [...tiles.entries()].at(-1)!;
		const [z, x, y] = key.split('/').map(Number);
		expect(Buffer.from((await remote.getZxy(z, x, y))!.data).equals(bytes)).toBe(true);
	});

	it('is 404 for a file that is not there, 400 for a name that could leave the folder', async () => {
		const unknown = await get('nothing-here.pmtiles', cookies['demo-admin']);
		expect(unknown.status).toBe(404);
		expect((await unknown.json()).message).toMatch(/nothing-here\.pmtiles/);
		const secret = `${path.basename(dir)}-secret`;
		for (const file of [`..%2F${secret}.pmtiles`, `%2E%2E%2F${secret}.pmtiles`, '.hidden.pmtiles', `..%5C${secret}.pmtiles`]) {
			const res = await get(file, cookies['demo-admin']);
			expect([400, 404], file).toContain(res.status);
			expect(res.headers.get('content-type'), file).toMatch(/json/);
			expect(await res.text()).not.toContain('secret"');
		}
		expect((await get(`..%2F${secret}.pmtiles`, cookies['demo-admin'])).status).toBe(400);
		// Not a PMTiles route at all: a JSON 404 too.
		expect((await get('demo-grid.mbtiles', cookies['demo-admin'])).status).toBe(404);
	});

	it('goes only to accounts that see at least what the file holds', async () => {
		const status = async (file: string, who: string | null) => (await get(file, who ? cookies[who] : null, { range: 'bytes=0-126' })).status;
		expect(await status('demo-grid.pmtiles', null)).toBe(401);
		expect(await status('demo-grid.pmtiles', 'demo-grid')).toBe(206);
		expect(await status('demo-grid.pmtiles', 'demo-community')).toBe(404);
		expect(await status('demo-grid.pmtiles', 'demo-planner')).toBe(206);
		expect(await status('demo-community.pmtiles', 'demo-community')).toBe(206);
		expect(await status('demo-community.pmtiles', 'demo-grid')).toBe(404);
		expect(await status('full-view.pmtiles', 'demo-grid')).toBe(404);
		expect(await status('full-view.pmtiles', 'demo-community')).toBe(404);
		expect(await status('full-view.pmtiles', 'demo-admin')).toBe(206);
	});
});

describe('the map with MAP_PMTILES', () => {
	it('draws the archive’s features with /tiles blocked', async () => {
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 800 } });
		const res = await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-grid', password: 'demo' } });
		expect(res.status()).toBe(200);
		const blocked: string[] = [];
		const offline: number[] = [];
		await context.route('**/tiles/**', (route) => {
			// The service worker keeping a field worker's territory (issue 13) fetches tiles of its own; the map must not.
			if (route.request().serviceWorker()) return route.continue();
			blocked.push(route.request().url());
			return route.abort();
		});
		const page = await context.newPage();
		page.on('response', (r) => {
			if (r.url().includes('/offline/')) offline.push(r.status());
		});
		await page.goto(app.server.url);
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		const [{ lng, lat }] = (
			await app.t.db.knex.raw(`SELECT ST_X(b.anchor) lng, ST_Y(b.anchor) lat FROM buildings b JOIN assignments a ON a.grid_id = b.grid_id
				JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' AND a.role = 'grid_worker' AND a.valid_to IS NULL ORDER BY b.code LIMIT 1`)
		).rows;
		const drawn = await page.evaluate(
			([c]) =>
				new Promise<{ buildings: number; grids: number }>((resolve) => {
					const map = window.__map;
					map.jumpTo({ center: c as [number, number], zoom: 16 });
					map.once('idle', () =>
						resolve({
							buildings: map.querySourceFeatures('buildings', { sourceLayer: 'buildings' }).length,
							grids: map.querySourceFeatures('grids', { sourceLayer: 'grids' }).length
						})
					);
				}),
			[[Number(lng), Number(lat)]] as const
		);
		expect(drawn.buildings).toBeGreaterThan(0);
		expect(drawn.grids).toBeGreaterThan(0);
		expect(blocked).toEqual([]);
		expect(offline.length).toBeGreaterThan(0);
		expect(offline.every((s) => s === 206 || s === 200)).toBe(true);
		await context.close();
	});
});
