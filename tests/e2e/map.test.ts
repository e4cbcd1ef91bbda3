/**
 * The map page in a real headless Chromium (Debian's, driven by playwright-core) against the
 * built app on PostGIS: the map loads from our vector tiles, layers toggle, a click on a known
 * community shows the issue count an independent SQL count gives, the URL keeps the
 * selection, search opens a panel, a phone gets a bottom sheet, and no request leaves the
 * server. The click-to-panel time is printed for the issue note; a screenshot is kept.
 * Pages sign in as the demo planner (who reads everything) unless a test says otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { TestDatabase } from '../helpers/database.js';
import type { RunningServer } from '../helpers/server.js';
import { PAGE_DEFAULTS, startBrowserApp, type BrowserApp } from '../helpers/browser.js';
import { overdueSql } from '../../src/lib/domain/issues.js';

declare global {
	interface Window {
		__map: MapLibreMap;
		__panelShown?: Promise<number>;
	}
}

const GUIYUANLIN = '510522100006'; // 桂园林社区, named in the seed
const ARTIFACT = path.resolve('test-results/map.png');
const README_SCREENSHOT = path.resolve('docs/screenshot.png');

let app: BrowserApp;
let t: TestDatabase;
let server: RunningServer;
let browser: Browser;
/** every URL any page asked for, to prove none went to another host */
const requested: string[] = [];

beforeAll(async () => {
	app = await startBrowserApp({ MAP_TEST_HOOKS: '1' });
	({ t, server, browser } = app);
}, 300_000);

afterAll(async () => {
	await app?.close();
});

let session: Promise<Awaited<ReturnType<BrowserContext['storageState']>>> | null = null;
/** The planner's signed-in browser state (its session cookie), made by one sign-in. */
function plannerSession() {
	session ??= (async () => {
		const context = await browser.newContext();
		const res = await context.request.post(`${server.url}/api/session`, { data: { username: 'demo-planner', password: 'demo' } });
		expect(res.status(), await res.text()).toBe(200);
		const state = await context.storageState();
		await context.close();
		return state;
	})();
	return session;
}

async function newPage(options: BrowserContextOptions = {}, { signedIn = true } = {}): Promise<Page> {
	// Signed in once for the file: the tests open pages side by side, and so many sign-ins of one
	// account at the same moment would be counted as a burst of guesses (sign-in-limits.ts).
	const context = await browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 800 }, ...options, ...(signedIn ? { storageState: await plannerSession() } : {}) });
	const page = await context.newPage();
	page.on('request', (r) => requested.push(r.url()));
	page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
	return page;
}

const foreign = (urls: string[]) => urls.filter((u) => !u.startsWith(`${server.url}/`) && !/^(data|blob):/.test(u));

/** Resolves once the map has drawn everything it has asked for. */
function mapIdle(page: Page) {
	return page.evaluate(
		() =>
			new Promise<void>((resolve) => {
				const map = window.__map;
				if (map.loaded() && !map.isMoving()) resolve();
				else map.once('idle', () => resolve());
			})
	);
}

async function openMap(page: Page, query = '') {
	await page.goto(`${server.url}/${query}`);
	await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
	await mapIdle(page);
}

async function jumpTo(page: Page, center: [number, number], zoom: number) {
	await page.evaluate(([c, z]) => window.__map.jumpTo({ center: c as [number, number], zoom: z as number }), [center, zoom] as const);
	await mapIdle(page);
}

/** The screen position of a point, and proof that the map (not a panel) is what lies there. */
async function screenPoint(page: Page, lngLat: [number, number]) {
	const { x, y, hit } = await page.evaluate((p) => {
		const map = window.__map;
		const rect = map.getCanvas().getBoundingClientRect();
		const at = map.project(p as [number, number]);
		const x = rect.left + at.x;
		const y = rect.top + at.y;
		return { x, y, hit: document.elementFromPoint(x, y)?.className ?? '' };
	}, lngLat);
	expect(hit).toContain('maplibregl-canvas');
	return { x, y };
}

/** A point inside the community and the issues in it, counted by SQL independently of the app. */
async function community(code: string) {
	const { rows } = await t.db.knex.raw(
		`SELECT c.name, ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat,
			(SELECT count(*)::int FROM issues i WHERE ST_Covers(c.geom, i.geom)) AS total,
			(SELECT count(*)::int FROM issues i WHERE ST_Covers(c.geom, i.geom) AND ${overdueSql('i')}) AS overdue
		 FROM communities c WHERE c.code = :code`,
		{ code }
	);
	const r = rows[0];
	return { name: r.name as string, point: [Number(r.lng), Number(r.lat)] as [number, number], total: r.total as number, overdue: r.overdue as number };
}

/** Arms a timer in the page: from the next mouse or touch press to the panel naming `name`. */
async function armPanelTimer(page: Page, name: string) {
	await page.evaluate((expected) => {
		window.__panelShown = new Promise<number>((resolve) => {
			let start = 0;
			const press = () => (start ||= performance.now());
			window.addEventListener('pointerdown', press, { capture: true, once: true });
			const observer = new MutationObserver(() => {
				if (start && document.querySelector('[data-testid="area-name"]')?.textContent === expected) {
					observer.disconnect();
					resolve(performance.now() - start);
				}
			});
			observer.observe(document.body, { subtree: true, childList: true, characterData: true });
		});
	}, name);
}

const text = (page: Page, testid: string) => page.locator(`[data-testid="${testid}"]`).first().textContent();
const layout = (page: Page, layer: string) => page.evaluate((id) => window.__map.getLayoutProperty(id, 'visibility'), layer);

// Concurrent: each test has a browser context of its own (cookies, storage, language), so while
// one waits on tiles or rendering another runs. The last test reads what they all requested.
describe.concurrent('the map page', () => {
	it('loads the map from the app’s own vector tiles, with Chinese labels drawn locally', async () => {
		const page = await newPage();
		const mine: string[] = [];
		page.on('request', (r) => mine.push(r.url()));
		await openMap(page);
		expect(await page.locator('canvas.maplibregl-canvas').count()).toBe(1);
		for (const layer of ['streets', 'communities', 'grids', 'compounds', 'issues', 'renovation', 'flood']) {
			expect(mine.some((u) => u.startsWith(`${server.url}/tiles/${layer}/`)), layer).toBe(true);
		}
		const style = await page.evaluate(() => window.__map.getStyle());
		expect(style.glyphs).toBeUndefined();
		expect(style.sprite).toBeUndefined();
		// Community boundaries drawn, and their names placed as labels (glyphs rasterised locally);
		// the label points follow the tiles a frame later.
		await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['communities-label'] }).length > 0);
		await mapIdle(page);
		const drawn = await page.evaluate(() => ({
			lines: window.__map.queryRenderedFeatures({ layers: ['communities-line'] }).length,
			labels: window.__map.queryRenderedFeatures({ layers: ['communities-label'] }).map((f) => f.properties.name)
		}));
		expect(drawn.lines).toBeGreaterThan(0);
		expect(drawn.labels).toContain('桂园林社区');
		// One label per community, though its polygon spans several tiles.
		expect(new Set(drawn.labels).size).toBe(drawn.labels.length);
		expect(foreign(mine)).toEqual([]);
		await page.context().close();
	});

	it('turns a layer off and on from the layer panel', async () => {
		const page = await newPage();
		await openMap(page);
		const toggle = page.locator('[data-testid="layer-toggle-issues"]');
		await expect(toggle.isChecked()).resolves.toBe(true);
		expect(await layout(page, 'issues-heat')).toBe('visible');
		await toggle.click();
		expect(await layout(page, 'issues-heat')).toBe('none');
		expect(await layout(page, 'issues-circle')).toBe('none');
		await toggle.click();
		expect(await layout(page, 'issues-heat')).toBe('visible');
		expect(await layout(page, 'issues-circle')).toBe('visible');

		await page.locator('[data-testid="layer-toggle-communities"]').click();
		expect(await layout(page, 'communities-line')).toBe('none');
		expect(await layout(page, 'communities-label')).toBe('none');
		await page.locator('[data-testid="layer-toggle-communities"]').click();
		expect(await layout(page, 'communities-line')).toBe('visible');
		await page.context().close();
	});

	it('speaks Chinese first, English on request, and remembers the choice', async () => {
		const page = await newPage();
		await openMap(page);
		expect(await page.title()).toContain('网格治理一张图');
		expect(await text(page, 'layer-panel')).toContain('图层');
		await page.locator('[data-testid="language-toggle"]').click();
		expect(await page.title()).toContain('Grid governance map');
		expect(await text(page, 'layer-panel')).toContain('Layers');
		await openMap(page);
		expect(await page.title()).toContain('Grid governance map');
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
		await page.context().close();
	});

	it('shows the right issue count for a clicked community, keeps it in the URL, and reopens it from the URL', async () => {
		const expected = await community(GUIYUANLIN);
		const page = await newPage();
		await openMap(page);
		await jumpTo(page, expected.point, 14);
		const { x, y } = await screenPoint(page, expected.point);

		await armPanelTimer(page, expected.name);
		await page.mouse.click(x, y);
		const ms = await page.evaluate(() => window.__panelShown!);
		console.log(`click-to-panel: ${ms.toFixed(0)} ms (desktop, community ${expected.name}, first click)`);

		expect(await text(page, 'area-level')).toBe('社区');
		expect(await text(page, 'area-code')).toBe(GUIYUANLIN);
		expect(Number((await text(page, 'area-total'))!.replace(/\D/g, ''))).toBe(expected.total);
		expect(Number((await text(page, 'area-overdue'))!.replace(/\D/g, ''))).toBe(expected.overdue);
		expect(expected.total).toBeGreaterThan(0);
		expect(await text(page, 'area-parents')).toContain('符阳街道');
		// The selection is drawn on the map.
		expect(await page.evaluate(() => window.__map.getFilter('selection-line'))).toEqual(['==', ['get', 'code'], GUIYUANLIN]);
		expect(new URL(page.url()).searchParams.get('area')).toBe(`community:${GUIYUANLIN}`);
		expect(page.url()).toBe(`${server.url}/?area=community:${GUIYUANLIN}`);

		// A second click elsewhere and back: the figure with warm caches.
		const times: number[] = [];
		for (let i = 0; i < 3; i++) {
			await page.locator('[data-testid="panel-close"]').click();
			await armPanelTimer(page, expected.name);
			await page.mouse.click(x, y);
			times.push(await page.evaluate(() => window.__panelShown!));
		}
		console.log(`click-to-panel, repeated: ${times.map((n) => n.toFixed(0)).join(', ')} ms`);

		// The issue list pages newest first, and an issue zooms the map to it.
		const first = page.locator('[data-testid="issue-item"]').first();
		await first.waitFor();
		await first.click();
		await page.waitForFunction(() => window.__map.getLayer('issue-focus') && !window.__map.isMoving());
		expect(await page.evaluate(() => window.__map.getZoom())).toBeGreaterThanOrEqual(16.9);

		// Reload the shared URL: the panel opens and the map fits the community.
		const shared = page.url();
		const again = await newPage();
		await again.goto(shared);
		await again.waitForSelector('[data-testid="area-name"]');
		expect(await text(again, 'area-name')).toBe(expected.name);
		await again.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await again.waitForFunction(() => !window.__map.isMoving());
		const inView = await again.evaluate((p) => window.__map.getBounds().contains(p as [number, number]), expected.point);
		expect(inView).toBe(true);
		expect(foreign(requested)).toEqual([]);
		await page.context().close();
		await again.context().close();
	});

	it('keeps the highlight when another level is picked with a panel open (issue 21, point 4)', async () => {
		const expected = await community(GUIYUANLIN);
		const page = await newPage();
		const errors: string[] = [];
		page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
		page.on('pageerror', (e) => errors.push(e.message));
		await openMap(page);
		await jumpTo(page, expected.point, 15);
		const { x, y } = await screenPoint(page, expected.point);
		await page.mouse.click(x, y);
		await page.waitForFunction((code) => document.querySelector('[data-testid="area-code"]')?.textContent === code, GUIYUANLIN);
		const [{ grid }] = (await t.db.knex.raw(`SELECT g.code AS grid FROM covering_grid(ST_SetSRID(ST_MakePoint(?, ?), 4326)) g`, expected.point)).rows;
		await page.locator('[data-testid="level-grid"]').click();
		await page.mouse.click(x, y);
		await page.waitForFunction((code) => document.querySelector('[data-testid="area-code"]')?.textContent === code, grid);
		await mapIdle(page);
		const drawn = await page.evaluate(() => ({
			fill: window.__map.getLayer('selection-fill')?.source ?? null,
			line: window.__map.getLayer('selection-line')?.source ?? null,
			filter: window.__map.getFilter('selection-line')
		}));
		expect(drawn).toEqual({ fill: 'grids', line: 'grids', filter: ['==', ['get', 'code'], grid] });
		// And back to the community: the highlight follows again.
		await page.locator('[data-testid="level-community"]').click();
		await page.mouse.click(x, y);
		await page.waitForFunction((code) => document.querySelector('[data-testid="area-code"]')?.textContent === code, GUIYUANLIN);
		expect(await page.evaluate(() => window.__map.getLayer('selection-fill')?.source)).toBe('communities');
		expect(errors).toEqual([]);
		await page.context().close();
	});

	it('finds 桂园林 by search and opens its panel', async () => {
		const page = await newPage();
		await openMap(page);
		await page.locator('[data-testid="search-input"]').fill('桂园林');
		const result = page.locator(`[data-testid="search-result"][data-code="${GUIYUANLIN}"]`);
		await result.waitFor();
		expect(await page.locator('[data-testid="search-result"]').first().getAttribute('data-code')).toBe(GUIYUANLIN);
		await result.click();
		await page.waitForFunction(() => document.querySelector('[data-testid="area-name"]')?.textContent === '桂园林社区');
		expect(new URL(page.url()).searchParams.get('area')).toBe(`community:${GUIYUANLIN}`);

		// A person: their roles, and the map flies to their territory.
		const { rows } = await t.db.knex.raw(`
			SELECT p.name, g.name AS grid FROM people p
			JOIN assignments a ON a.person_id = p.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN grids g ON g.id = a.grid_id
			WHERE (SELECT count(*) FROM people q WHERE q.name = p.name) = 1 ORDER BY p.code LIMIT 1`);
		await page.locator('[data-testid="search-input"]').fill(rows[0].name);
		await page.locator('[data-testid="search-result"][data-kind="person"]').first().click();
		await page.waitForSelector('[data-testid="person-name"]');
		expect(await text(page, 'person-assignments')).toContain('网格员');
		expect(await text(page, 'person-assignments')).toContain(rows[0].grid);
		await page.context().close();
	});

	it('colours grids by issues per 100 households from the choropleth values', async () => {
		const page = await newPage();
		await openMap(page);
		await page.locator('[data-testid="choropleth-metric"]').selectOption('issues_per_100_households');
		await page.waitForSelector('[data-testid="choropleth-legend"]');
		const api = await (await page.context().request.get(`${server.url}/api/choropleth?level=grid&metric=issues_per_100_households`)).json();
		const sample = api.values.find((v: { value: number | null }) => v.value !== null);
		const state = await page.evaluate(
			(code) => window.__map.getFeatureState({ source: 'grids', sourceLayer: 'grids', id: code }),
			sample.code
		);
		expect(state.value).toBe(sample.value);
		expect(await layout(page, 'choropleth-fill')).toBe('visible');
		await page.locator('[data-testid="choropleth-metric"]').selectOption('none');
		await page.waitForFunction(() => !window.__map.getLayer('choropleth-fill'));
		await page.context().close();
	});

	it('works on a phone: controls reachable, a tap opens the bottom sheet', async () => {
		const expected = await community(GUIYUANLIN);
		const page = await newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		await openMap(page);
		// Touch-sized controls within the screen.
		for (const id of ['search-input', 'layer-panel-toggle', 'level-grid', 'language-toggle']) {
			const box = (await page.locator(`[data-testid="${id}"]`).boundingBox())!;
			expect(box.height, id).toBeGreaterThanOrEqual(36);
			expect(box.x + box.width, id).toBeLessThanOrEqual(375);
		}
		await jumpTo(page, expected.point, 14);
		const { x, y } = await screenPoint(page, expected.point);
		await armPanelTimer(page, expected.name);
		await page.touchscreen.tap(x, y);
		const ms = await page.evaluate(() => window.__panelShown!);
		console.log(`tap-to-panel: ${ms.toFixed(0)} ms (phone)`);
		const sheet = (await page.locator('[data-testid="area-panel"]').boundingBox())!;
		expect(sheet.width).toBe(375);
		expect(Math.round(sheet.y + sheet.height)).toBe(740);
		expect(sheet.height).toBeLessThan(740 * 0.6);
		expect(Number((await text(page, 'area-total'))!.replace(/\D/g, ''))).toBe(expected.total);
		// The layer panel opens over the map and its toggles work by touch.
		await page.locator('[data-testid="layer-panel-toggle"]').tap();
		await page.locator('[data-testid="layer-toggle-flood"]').tap();
		expect(await layout(page, 'flood-circle')).toBe('none');
		// The next area to open (here by search, above the panel) folds the layers away, so
		// they do not cover its sheet.
		await page.locator('[data-testid="search-input"]').fill('桂园林');
		await page.locator(`[data-testid="search-result"][data-code="${GUIYUANLIN}"]`).tap();
		await page.waitForFunction(() => document.querySelector('[data-testid="layer-panel-toggle"]')?.getAttribute('aria-expanded') === 'false');
		await page.screenshot({ path: path.resolve('test-results/map-phone.png') });
		await page.context().close();
	});

	it('looks like a product: screenshot kept as an artifact and for the README', async () => {
		const page = await newPage();
		await openMap(page, `?area=community:${GUIYUANLIN}`);
		await page.waitForSelector('[data-testid="issue-item"]');
		// Tilted and close enough for buildings to stand up, the community in the middle of the
		// part of the map the two panels leave free.
		const { rows } = await t.db.knex.raw(
			'SELECT ST_X(ST_Centroid(ST_Envelope(geom))) AS lng, ST_Y(ST_Centroid(ST_Envelope(geom))) AS lat FROM communities WHERE code = :code',
			{ code: GUIYUANLIN }
		);
		await page.waitForFunction(() => !window.__map.isMoving());
		await page.evaluate(
			(center) =>
				window.__map.jumpTo({ center, zoom: 15.1, pitch: 50, bearing: -15, padding: { left: 340, right: 410, top: 0, bottom: 0 } }),
			[Number(rows[0].lng), Number(rows[0].lat)] as [number, number]
		);
		await mapIdle(page);
		fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
		await page.screenshot({ path: ARTIFACT });
		// The README's picture changes only on purpose: UPDATE_SCREENSHOT=1 npm test.
		if (process.env.UPDATE_SCREENSHOT === '1') fs.copyFileSync(ARTIFACT, README_SCREENSHOT);
		expect(fs.statSync(ARTIFACT).size).toBeGreaterThan(50_000);
		await page.context().close();
	});

	it('shows a caller who is not signed in the outlines, and asks them to sign in for figures', async () => {
		const expected = await community(GUIYUANLIN);
		const page = await newPage({}, { signedIn: false });
		await openMap(page);
		expect(await page.locator('[data-testid="sign-in"]').getAttribute('href')).toBe('/login?next=%2F');
		await jumpTo(page, expected.point, 14);
		const { x, y } = await screenPoint(page, expected.point);
		await page.mouse.click(x, y);
		await page.waitForSelector('[data-testid="area-sign-in"]');
		expect(await text(page, 'area-name')).toBe(expected.name);
		expect(await page.locator('[data-testid="area-total"]').count()).toBe(0);
		expect(await page.locator('[data-testid="area-sign-in"] a').getAttribute('href')).toBe(
			`/login?next=${encodeURIComponent(`/?area=community:${GUIYUANLIN}`)}`
		);
		// Outlines are drawn; the data layers come empty.
		const drawn = await page.evaluate(() => ({
			communities: window.__map.queryRenderedFeatures({ layers: ['communities-line'] }).length,
			issues: window.__map.querySourceFeatures('issues', { sourceLayer: 'issues' }).length
		}));
		expect(drawn.communities).toBeGreaterThan(0);
		expect(drawn.issues).toBe(0);
		expect(await page.locator('[data-testid="choropleth-metric"]').isDisabled()).toBe(true);
		await page.context().close();
	});

	it.sequential('requested nothing from any other host, in every test', () => {
		expect(requested.length).toBeGreaterThan(50);
		expect(foreign(requested)).toEqual([]);
	});
});
