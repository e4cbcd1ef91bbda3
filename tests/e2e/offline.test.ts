/**
 * Work without a signal (issue 13, part 4), in Chromium on a 360 × 740 phone against the
 * built server with its service worker:
 * - the app is installable: a valid manifest with its icons, and the service worker controls the page;
 * - what the phone keeps of the territory is the grid worker's own: every kept tile's data
 *   features and every kept record lie in their grids (an independent SQL statement says which);
 * - with the network cut, the worker opens a building's card, records a visit and reports a
 *   case; nothing reaches the server; back online, exactly one case and one visit arrive, at
 *   the right grid, with the time and position they were made at;
 * - a visit whose sending is cut off three times after the server took it still arrives once.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { PAGE_DEFAULTS, useBrowserApp } from '../helpers/browser.js';
import { decode } from '../helpers/tiles.js';
import { held } from '../../src/lib/server/platform/held.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });
const PHONE = { width: 360, height: 740 };
const DATA_LAYERS = ['buildings', 'issues', 'renovation', 'flood'];

/** demo-grid's grids, and the codes of each data layer inside them, by the territory rule written out here. */
async function mine() {
	const territory = `(SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND ${held('a')}
		JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid')`;
	const codes = async (sql: string) => new Set((await app.t.db.knex.raw(sql)).rows.map((r: { code: string }) => r.code));
	const { rows: grids } = await app.t.db.knex.raw(`SELECT g.id, g.code FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND ${held('a')}
		JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid'`);
	const { rows: buildings } = await app.t.db.knex.raw(`SELECT b.code, b.grid_id, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b WHERE ST_Covers(${territory}, b.anchor) ORDER BY b.code`);
	return {
		grids: grids as { id: number; code: string }[],
		buildings: buildings.map((b: { code: string; grid_id: number; lng: string; lat: string }) => ({ ...b, lng: Number(b.lng), lat: Number(b.lat) })),
		layers: {
			buildings: await codes(`SELECT code FROM buildings b WHERE ST_Covers(${territory}, b.anchor)`),
			issues: await codes(`SELECT code FROM issues i WHERE ST_Covers(${territory}, i.geom)`),
			renovation: await codes(`SELECT code FROM renovation_projects r WHERE ST_Intersects(${territory}, r.geom) AND NOT ST_Touches(${territory}, r.geom)`),
			flood: await codes(`SELECT code FROM flood_spots f WHERE ST_Intersects(${territory}, f.geom) AND NOT ST_Touches(${territory}, f.geom)`)
		} as Record<string, Set<string>>
	};
}

async function phone(position: { longitude: number; latitude: number }): Promise<{ context: BrowserContext; page: Page }> {
	const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: PHONE, isMobile: true, hasTouch: true, geolocation: position, permissions: ['geolocation'] });
	const res = await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-grid', password: 'demo' } });
	expect(res.status()).toBe(200);
	const page = await context.newPage();
	page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
	return { context, page };
}

/** Opens /me and waits until the service worker controls it and has kept the territory and the field pages. */
async function ready(page: Page): Promise<void> {
	await page.goto(`${app.server.url}/me`);
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });
	// Polled from here: a predicate returning a promise would count as true at once.
	const kept = () =>
		page.evaluate(async () => {
			const territory = await caches.open('territory');
			const pages = await caches.open('pages');
			return Boolean((await territory.match('/api/me/offline')) && (await pages.match('/me')) && (await pages.match('/')));
		});
	expect(await until(kept, (ok) => ok, 120_000)).toBe(true);
}

const counts = async () => {
	const [{ visits, cases }] = (await app.t.db.knex.raw(`SELECT (SELECT count(*)::int FROM visits) AS visits, (SELECT count(*)::int FROM issues) AS cases`)).rows;
	return { visits, cases };
};

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (ok(value) || Date.now() > end) return value;
		await new Promise((r) => setTimeout(r, 250));
	}
}

describe('installable', () => {
	it('has a valid manifest with real icons, and the service worker controls the page', async () => {
		const res = await fetch(`${app.server.url}/manifest.webmanifest`);
		expect(res.status).toBe(200);
		const manifest = await res.json();
		expect(manifest).toMatchObject({ name: '网格治理一张图', short_name: '网格治理', start_url: '/me', scope: '/', display: 'standalone', lang: 'zh-CN' });
		expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
		for (const size of [192, 512]) {
			const icon = manifest.icons.find((i: { sizes: string; type: string }) => i.sizes === `${size}x${size}` && i.type === 'image/png');
			expect(icon, `${size} icon`).toBeTruthy();
			const bytes = Buffer.from(await (await fetch(`${app.server.url}${icon.src}`)).arrayBuffer());
			expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: size, height: size });
		}
		const { rows } = await app.t.db.knex.raw(`SELECT ST_X(anchor) AS lng, ST_Y(anchor) AS lat FROM buildings ORDER BY code LIMIT 1`);
		const { context, page } = await phone({ longitude: Number(rows[0].lng), latitude: Number(rows[0].lat) });
		await page.goto(`${app.server.url}/me`);
		expect(await page.$eval('link[rel="manifest"]', (l) => l.getAttribute('href'))).toBe('/manifest.webmanifest');
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });
		expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${app.server.url}/service-worker.js`);
		await context.close();
	});
});

describe('working without a signal', () => {
	it('keeps only the worker’s own territory: every kept tile’s data and every kept record is theirs', async () => {
		const own = await mine();
		const { context, page } = await phone({ longitude: own.buildings[0].lng, latitude: own.buildings[0].lat });
		await ready(page);
		const kept = await page.evaluate(async () => {
			const out: { cache: string; path: string; status: number; bytes: number[] }[] = [];
			for (const name of await caches.keys()) {
				if (name.startsWith('shell-')) continue;
				const cache = await caches.open(name);
				for (const request of await cache.keys()) {
					const res = (await cache.match(request))!;
					const path = new URL(request.url).pathname;
					out.push({ cache: name, path, status: res.status, bytes: path.endsWith('.pbf') || path.startsWith('/api/') ? [...new Uint8Array(await res.arrayBuffer())] : [] });
				}
			}
			return { names: await caches.keys(), out };
		});
		expect(kept.names.filter((n) => !n.startsWith('shell-')).sort()).toEqual(['pages', 'territory']);
		const tiles = kept.out.filter((k) => k.path.endsWith('.pbf'));
		expect(tiles.length).toBeGreaterThan(20);
		let features = 0;
		for (const t of tiles) {
			const layer = t.path.split('/')[2];
			if (!DATA_LAYERS.includes(layer) || t.status !== 200) continue;
			for (const f of decode(new Uint8Array(t.bytes), layer)) {
				expect(own.layers[layer].has(String(f.properties.code)), `${t.path}: ${f.properties.code}`).toBe(true);
				features++;
			}
		}
		expect(features).toBeGreaterThan(own.buildings.length);
		const pack = JSON.parse(Buffer.from(kept.out.find((k) => k.path === '/api/me/offline')!.bytes).toString('utf8'));
		expect(pack.user.username).toBe('demo-grid');
		expect(pack.buildings.map((b: { code: string }) => b.code).sort()).toEqual([...own.layers.buildings].sort());
		expect(Object.keys(pack.cards).sort()).toEqual([...own.layers.buildings].sort());
		for (const c of pack.open_cases) expect(own.layers.issues.has(c.code), c.code).toBe(true);
		for (const card of Object.values(pack.cards) as { open_cases: { code: string }[] }[]) for (const c of card.open_cases) expect(own.layers.issues.has(c.code)).toBe(true);
		expect(pack.grids.map((g: { code: string }) => g.code).sort()).toEqual(own.grids.map((g) => g.code).sort());
		// Signing out empties it.
		await page.evaluate(() => fetch('/api/session', { method: 'DELETE' }));
		expect(await page.evaluate(async () => (await caches.keys()).filter((n) => !n.startsWith('shell-')))).toEqual([]);
		await context.close();
	}, 240_000);

	it('opens a building, records a visit and reports a case offline; back online exactly one of each arrives, with the offline time and position', async () => {
		const own = await mine();
		const target = own.buildings[2];
		const position = { longitude: target.lng + 0.00005, latitude: target.lat + 0.00004 };
		const { context, page } = await phone(position);
		await ready(page);
		const before = await counts();

		await context.setOffline(true);
		const offlineFrom = Date.now();
		await page.goto(`${app.server.url}/me`);
		await page.waitForSelector(`[data-testid="my-building"][data-code="${target.code}"]`);
		await page.tap(`[data-testid="my-building"][data-code="${target.code}"]`);
		await page.waitForSelector(`[data-testid="building-card"][data-code="${target.code}"]`, { timeout: 60_000 });
		expect(await page.textContent('[data-testid="building-card"]')).toContain(target.code);
		// The map draws the kept tiles: the grid's outline and its buildings, without a signal.
		const drawn = await until(
			() => page.evaluate(() => [...new Set((window as unknown as { __map?: { queryRenderedFeatures(): { source: string }[] } }).__map?.queryRenderedFeatures().map((f) => f.source) ?? [])].sort()),
			(sources) => sources.includes('grids') && sources.includes('buildings'),
			60_000
		);
		expect(drawn).toEqual(expect.arrayContaining(['grids', 'buildings']));
		await page.screenshot({ path: 'test-results/offline-card.png' });

		const note = `offline visit ${Date.now()}`;
		await page.tap('[data-testid="card-visit"]');
		await page.tap('[data-testid="visit-situation-attention"]');
		await page.fill('[data-testid="visit-note"]', note);
		await page.tap('[data-testid="visit-save"]');
		const visitResult = await page.waitForSelector('[data-testid="outbox-result"]');
		expect(await visitResult.getAttribute('data-state')).toBe('waiting');
		await page.screenshot({ path: 'test-results/offline-visit-queued.png' });

		await page.goto(`${app.server.url}/me`);
		await page.tap('[data-testid="me-report"]');
		const description = `offline report ${Date.now()}`;
		await page.waitForSelector('[data-testid="report-form"]');
		await page.fill('[data-testid="report-description"]', description);
		await page.tap('[data-testid="report-send"]');
		await page.waitForSelector('[data-testid="report-queued"], [data-testid="me-queued"]');
		const offlineTo = Date.now();
		await page.waitForSelector('[data-testid="outbox-waiting"]');
		expect(await page.textContent('[data-testid="outbox-waiting"]')).toContain('2');
		await page.screenshot({ path: 'test-results/offline-outbox.png' });
		expect(await counts()).toEqual(before);

		await context.setOffline(false);
		const after = await until(counts, (c) => c.visits === before.visits + 1 && c.cases === before.cases + 1);
		expect(after).toEqual({ visits: before.visits + 1, cases: before.cases + 1 });
		// Sent once, not more, even as the page keeps trying what waits.
		await page.waitForFunction(() => !document.querySelector('[data-testid="outbox-waiting"]'), null, { timeout: 60_000 });
		await new Promise((r) => setTimeout(r, 1000));
		expect(await counts()).toEqual(after);

		const [visit] = (await app.t.db.knex.raw(`SELECT v.visited_at, v.grid_id, v.situation, ST_X(v.position) AS lng, ST_Y(v.position) AS lat, b.code AS building FROM visits v JOIN buildings b ON b.id = v.building_id WHERE v.note = ?`, [note])).rows;
		expect(visit).toMatchObject({ building: target.code, grid_id: target.grid_id, situation: 'attention' });
		expect(Number(visit.lng)).toBeCloseTo(position.longitude, 5);
		expect(Number(visit.lat)).toBeCloseTo(position.latitude, 5);
		// visited_at is the form's minute (datetime-local), taken while offline.
		expect(new Date(visit.visited_at).getTime()).toBeGreaterThanOrEqual(Math.floor(offlineFrom / 60_000) * 60_000 - 60_000);
		expect(new Date(visit.visited_at).getTime()).toBeLessThanOrEqual(offlineTo);

		// The report the page still shows turns 已发送 with the code the server gave it (issue 21, point 3).
		const [{ code: landed }] = (await app.t.db.knex.raw(`SELECT code FROM issues WHERE description = ?`, [description])).rows;
		const confirmed = await page.waitForSelector('[data-testid="me-queued"][data-state="sent"]');
		expect(await confirmed.textContent()).toContain(`已发送 · 问题编号 ${landed}`);
		await page.screenshot({ path: 'test-results/offline-report-landed.png' });

		const [report] = (await app.t.db.knex.raw(`SELECT i.reported_at, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat, (SELECT g.code FROM grids g WHERE ST_Covers(g.geom, i.geom) LIMIT 1) AS grid FROM issues i WHERE i.description = ?`, [description])).rows;
		expect(own.grids.map((g) => g.code)).toContain(report.grid);
		expect(Number(report.lng)).toBeCloseTo(position.longitude, 5);
		expect(Number(report.lat)).toBeCloseTo(position.latitude, 5);
		expect(new Date(report.reported_at).getTime()).toBeGreaterThanOrEqual(offlineFrom);
		expect(new Date(report.reported_at).getTime()).toBeLessThanOrEqual(offlineTo);
		await context.close();
	}, 300_000);

	it('a record waits for the account that made it: another worker signing in on the phone neither sends nor sees it', async () => {
		const own = await mine();
		const target = own.buildings[4];
		const { context, page } = await phone({ longitude: target.lng, latitude: target.lat });
		await ready(page);
		// The server cannot be reached for visits: the record waits.
		await page.route('**/api/visits', (route) => route.abort('internetdisconnected'));
		await page.goto(`${app.server.url}/?building=${target.code}`);
		await page.waitForSelector(`[data-testid="building-card"][data-code="${target.code}"]`, { timeout: 60_000 });
		const note = `kept for its maker ${Date.now()}`;
		await page.tap('[data-testid="card-visit"]');
		await page.fill('[data-testid="visit-note"]', note);
		await page.tap('[data-testid="visit-save"]');
		expect(await (await page.waitForSelector('[data-testid="outbox-result"]')).getAttribute('data-state')).toBe('waiting');
		await page.unroute('**/api/visits');
		// Another field account signs in on the same phone: the record is neither sent as theirs nor shown.
		expect((await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-community', password: 'demo' } })).status()).toBe(200);
		await page.goto(`${app.server.url}/me`);
		await page.waitForSelector('[data-testid="me-page"]');
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await new Promise((r) => setTimeout(r, 2000));
		expect(await page.$('[data-testid="outbox-waiting"]')).toBeNull();
		const sent = async () => Number((await app.t.db.knex.raw(`SELECT count(*)::int AS n FROM visits WHERE note = ?`, [note])).rows[0].n);
		expect(await sent()).toBe(0);
		// Its maker signs in again: it is sent, once, as theirs.
		expect((await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-grid', password: 'demo' } })).status()).toBe(200);
		await page.goto(`${app.server.url}/me`);
		expect(await until(sent, (n) => n === 1, 60_000)).toBe(1);
		const [{ username }] = (await app.t.db.knex.raw(`SELECT u.username FROM visits v JOIN users u ON u.id = v.visitor_user_id WHERE v.note = ?`, [note])).rows;
		expect(username).toBe('demo-grid');
		await context.close();
	}, 240_000);

	it('a visit whose sending is cut off three times after the server took it arrives once', async () => {
		const own = await mine();
		const target = own.buildings[3];
		const { context, page } = await phone({ longitude: target.lng, latitude: target.lat });
		await ready(page);
		let cuts = 0;
		let posts = 0;
		// The server files the visit, then the answer is lost on the way back: the phone cannot tell it arrived.
		await page.route('**/api/visits', async (route) => {
			posts++;
			if (cuts < 3) {
				await route.fetch();
				cuts++;
				await route.abort('connectionreset');
			} else await route.continue();
		});
		await page.goto(`${app.server.url}/?building=${target.code}`);
		await page.waitForSelector(`[data-testid="building-card"][data-code="${target.code}"]`, { timeout: 60_000 });
		const note = `cut visit ${Date.now()}`;
		await page.tap('[data-testid="card-visit"]');
		await page.fill('[data-testid="visit-note"]', note);
		await page.tap('[data-testid="visit-save"]');
		expect(await (await page.waitForSelector('[data-testid="outbox-result"]')).getAttribute('data-state')).toBe('waiting');
		// Each 'online' event is another try, as when the signal comes and goes.
		for (let i = 0; i < 4 && posts < 4; i++) {
			await page.evaluate(() => window.dispatchEvent(new Event('online')));
			await until(async () => posts, (n) => n > i + 1, 10_000);
		}
		expect(cuts).toBe(3);
		await page.waitForFunction(() => !document.querySelector('[data-testid="outbox-waiting"]'), null, { timeout: 60_000 });
		const { rows } = await app.t.db.knex.raw(`SELECT count(*)::int AS n FROM visits WHERE note = ?`, [note]);
		expect(posts).toBe(4);
		expect(rows[0].n).toBe(1);
		await context.close();
	}, 240_000);
});
