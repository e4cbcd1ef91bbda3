/**
 * The grid worker in the field on a 360 × 740 phone (issue 13, parts 1, 2, 3's form, 5): the
 * map opens framed on their grid with their buildings marked; a tap opens a building's card
 * with its heads' call links; a visit is recorded (exactly one row); /me lists the buildings
 * not visited first, nearest first, with distance and bearing; every button and link is at
 * least 44 px and nothing scrolls sideways. Screenshots go to test-results/field-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { PAGE_DEFAULTS, useBrowserApp } from '../helpers/browser.js';
import { held } from '../../src/lib/server/platform/held.js';

declare global {
	interface Window {
		__map: MapLibreMap;
	}
}

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });
const PHONE = { width: 360, height: 740 };

interface Mine {
	code: string;
	lng: number;
	lat: number;
	heads: { name: string; phone: string | null }[];
}

/** demo-grid's buildings and grids, from the assignments, independently of the app's queries. */
async function territory() {
	const { rows: buildings } = await app.t.db.knex.raw<{ rows: Mine[] }>(`
		SELECT b.code, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat,
			coalesce((SELECT json_agg(json_build_object('name', p.name, 'phone', p.phone) ORDER BY p.name)
			          FROM assignments h JOIN people p ON p.id = h.person_id
			          WHERE h.building_id = b.id AND h.role IN ('building_head', 'party_group_leader') AND ${held('h')}), '[]'::json) AS heads
		FROM buildings b
		JOIN assignments a ON a.grid_id = b.grid_id AND a.role = 'grid_worker' AND ${held('a')}
		JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' ORDER BY b.code`);
	const { rows: extent } = await app.t.db.knex.raw(`
		SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (
			SELECT ST_Extent(g.geom) AS e FROM grids g
			JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND ${held('a')}
			JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid') x`);
	const { rows: county } = await app.t.db.knex.raw(`SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom) AS e FROM county) x`);
	const box = (r: Record<string, string | number>) => [Number(r.w), Number(r.s), Number(r.e), Number(r.n)] as [number, number, number, number];
	return { buildings: buildings.map((b) => ({ ...b, lng: Number(b.lng), lat: Number(b.lat) })), grid: box(extent[0]), county: box(county[0]) };
}

async function phone(position: { longitude: number; latitude: number }): Promise<{ context: BrowserContext; page: Page }> {
	const context = await app.browser.newContext({
		...PAGE_DEFAULTS,
		viewport: PHONE,
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		geolocation: position,
		permissions: ['geolocation']
	});
	const res = await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-grid', password: 'demo' } });
	expect(res.status()).toBe(200);
	const page = await context.newPage();
	page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
	return { context, page };
}

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

/** Every visible button, link, input and select under `root` smaller than 44 × 44 px. */
function smallTargets(page: Page, root: string) {
	return page.$$eval(`${root} :is(a[href], button, input:not([type=file]):not([type=radio]), select, textarea, label.situation)`, (elements) =>
		elements
			.map((el) => {
				const r = el.getBoundingClientRect();
				return { what: `${el.tagName.toLowerCase()} ${el.getAttribute('data-testid') ?? el.textContent?.trim().slice(0, 20)}`, width: Math.round(r.width), height: Math.round(r.height), visible: r.width > 0 && r.height > 0 };
			})
			.filter((t) => t.visible && (t.width < 44 || t.height < 44))
	);
}

/** The page is no wider than the screen: nothing scrolls sideways. */
async function scrollsSideways(page: Page): Promise<boolean> {
	return page.evaluate(() => {
		const wide = (el: Element) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'hidden';
		return document.documentElement.scrollWidth > window.innerWidth || [...document.querySelectorAll('main, main *')].some((el) => wide(el) && getComputedStyle(el).overflowX !== 'visible');
	});
}

/** Taps a building's marker on the map. */
async function tapBuilding(page: Page, b: Mine) {
	const { x, y } = await page.evaluate((p) => {
		const r = window.__map.getCanvas().getBoundingClientRect();
		const at = window.__map.project(p as [number, number]);
		return { x: r.left + at.x, y: r.top + at.y };
	}, [b.lng, b.lat]);
	await page.touchscreen.tap(x, y);
	await page.waitForSelector(`[data-testid="building-card"][data-code="${b.code}"]`);
}

async function openFieldMap(page: Page) {
	await page.goto(`${app.server.url}/`);
	await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
	await page.waitForSelector('main[data-field-ready="true"]');
	await mapIdle(page);
}

describe('the grid worker’s map on a phone', () => {
	it('opens framed on their grid, outlined, their buildings marked with a legend; a tap opens the card with call links', async () => {
		const { buildings, grid, county } = await territory();
		expect(buildings.length).toBe(5);
		const { context, page } = await phone({ longitude: buildings[0].lng + 0.0003, latitude: buildings[0].lat });
		await openFieldMap(page);

		const [[w, s], [e, n]] = await page.evaluate(() => window.__map.getBounds().toArray());
		// The grid is inside the view…
		expect(w).toBeLessThanOrEqual(grid[0]);
		expect(s).toBeLessThanOrEqual(grid[1]);
		expect(e).toBeGreaterThanOrEqual(grid[2]);
		expect(n).toBeGreaterThanOrEqual(grid[3]);
		// …and the view is the grid's neighbourhood, not the county (a tenth of its width at most).
		expect(e - w).toBeLessThan((county[2] - county[0]) / 10);

		// Outline and mask drawn; every building marked once.
		expect(await page.evaluate(() => ['territory-line', 'territory-mask', 'field-buildings'].map((id) => !!window.__map.getLayer(id)))).toEqual([true, true, true]);
		const marked = await page.evaluate(() => [...new Set(window.__map.queryRenderedFeatures({ layers: ['field-buildings'] }).map((f) => f.properties.code))].sort());
		expect(marked).toEqual(buildings.map((b) => b.code));
		expect(await page.textContent('[data-testid="field-legend"]')).toContain('缺楼栋长');
		expect(await scrollsSideways(page)).toBe(false);
		expect(await smallTargets(page, '[data-testid="field-bottom"]')).toEqual([]);
		await page.screenshot({ path: 'test-results/field-map.png' });

		const target = buildings.find((b) => b.heads.some((h) => h.phone))!;
		await tapBuilding(page, target);
		const calls = await page.$$eval('[data-testid="call-head"]', (links) => links.map((a) => a.getAttribute('href')));
		expect(calls).toEqual(target.heads.filter((h) => h.phone).map((h) => `tel:${h.phone!.replace(/[^\d+]/g, '')}`));
		expect(await smallTargets(page, '[data-testid="area-panel"]')).toEqual([]);
		expect(await scrollsSideways(page)).toBe(false);
		await page.screenshot({ path: 'test-results/field-card.png' });

		// Walk here: the straight line from the phone to the building.
		await page.tap('[data-testid="card-walk"]');
		await page.waitForFunction(() => !!window.__map.getLayer('walk-line'));
		await mapIdle(page);
		await page.screenshot({ path: 'test-results/field-walk.png' });
		await context.close();
	});

	it('a tap beside the buildings tells about the area without moving the map the worker walks by', async () => {
		const { buildings } = await territory();
		const { context, page } = await phone({ longitude: buildings[0].lng + 0.0003, latitude: buildings[0].lat });
		await openFieldMap(page);
		await mapIdle(page);
		const before = await page.evaluate(() => ({ center: window.__map.getCenter().toArray(), zoom: window.__map.getZoom() }));
		// A point of the map's middle band with no building marker within 40 px.
		const spot = await page.evaluate(() => {
			const map = window.__map;
			const { width, height } = map.getCanvas().getBoundingClientRect();
			for (let y = height * 0.35; y < height * 0.65; y += 20) {
				for (let x = 40; x < width - 40; x += 20) {
					const near = map.queryRenderedFeatures([[x - 40, y - 40], [x + 40, y + 40]], { layers: ['field-buildings'] });
					if (!near.length) {
						const r = map.getCanvas().getBoundingClientRect();
						return { x: r.left + x, y: r.top + y };
					}
				}
			}
			return null;
		});
		expect(spot).not.toBeNull();
		await page.touchscreen.tap(spot!.x, spot!.y);
		await page.waitForSelector('[data-testid="area-panel"]');
		await mapIdle(page);
		const after = await page.evaluate(() => ({ center: window.__map.getCenter().toArray(), zoom: window.__map.getZoom() }));
		expect(after.zoom).toBeCloseTo(before.zoom, 5);
		expect(after.center[0]).toBeCloseTo(before.center[0], 7);
		expect(after.center[1]).toBeCloseTo(before.center[1], 7);
		await context.close();
	});

	it('records a visit online: 已发送 with the time it landed (issue 21, point 3), and exactly one visit row', async () => {
		const { buildings } = await territory();
		const target = buildings[1];
		const { context, page } = await phone({ longitude: target.lng, latitude: target.lat + 0.0002 });
		await openFieldMap(page);
		await tapBuilding(page, target);
		await page.tap('[data-testid="card-visit"]');
		const note = `e2e visit ${Date.now()}`;
		await page.tap('[data-testid="visit-situation-attention"]');
		await page.fill('[data-testid="visit-household"]', '2-301');
		await page.fill('[data-testid="visit-note"]', note);
		expect(await smallTargets(page, '[data-testid="area-panel"]')).toEqual([]);
		await page.screenshot({ path: 'test-results/field-visit.png' });
		await page.tap('[data-testid="visit-save"]');
		const result = await page.waitForSelector('[data-testid="outbox-result"]');
		expect(await result.getAttribute('data-state')).toBe('sent');
		expect(await result.textContent()).toMatch(/已发送 · \d\d:\d\d/);
		const { rows } = await app.t.db.knex.raw(`SELECT to_jsonb(v) AS v FROM visits v WHERE v.note = ?`, [note]);
		expect(rows.length).toBe(1);
		expect(rows[0].v.situation).toBe('attention');
		await context.close();
	});

});

describe('/me on a 360 px phone', () => {
	it('lists the buildings not visited first, nearest first, with distance and bearing; 44 px targets; no sideways scroll', async () => {
		const { buildings } = await territory();
		// Stand 30 m east of the last building, so "nearest first" is not the order of codes.
		const last = buildings[buildings.length - 1];
		const position = { longitude: last.lng + 0.0003, latitude: last.lat };
		const { context, page } = await phone(position);
		await page.goto(`${app.server.url}/me`);
		await page.waitForSelector('[data-testid="position"]');
		await page.waitForSelector('[data-testid="my-building-row"] [data-testid="distance-bearing"]');
		const rows = await page.$$eval('[data-testid="my-building-row"]', (items) =>
			items.map((li) => ({ code: li.getAttribute('data-code')!, visited: li.getAttribute('data-visited') === 'true', metres: Number(li.getAttribute('data-metres')), text: li.querySelector('[data-testid="distance-bearing"]')?.textContent?.trim() ?? '' }))
		);
		expect(rows.map((r) => r.code).sort()).toEqual(buildings.map((b) => b.code));
		// Not visited first.
		const firstVisited = rows.findIndex((r) => r.visited);
		if (firstVisited >= 0) expect(rows.slice(firstVisited).every((r) => r.visited)).toBe(true);
		// Within each group, nearest first by PostGIS's distance on the spheroid; the shown metres within 1% of it.
		const { rows: distances } = await app.t.db.knex.raw(
			`SELECT b.code, ST_Distance(b.anchor::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography) AS m FROM buildings b WHERE b.code = ANY(?)`,
			[position.longitude, position.latitude, buildings.map((b) => b.code)]
		);
		const metres = new Map<string, number>(distances.map((d: { code: string; m: number }) => [d.code, Number(d.m)]));
		for (const group of [rows.filter((r) => !r.visited), rows.filter((r) => r.visited)]) {
			expect(group.map((r) => r.code)).toEqual([...group].sort((a, b) => metres.get(a.code)! - metres.get(b.code)!).map((r) => r.code));
		}
		for (const r of rows) expect(Math.abs(r.metres - metres.get(r.code)!)).toBeLessThanOrEqual(Math.max(1, metres.get(r.code)! * 0.01));
		// "西 30 米": the last building lies 30 m west of where the phone stands.
		expect(rows.find((r) => r.code === last.code)!.text).toMatch(/西 (29|30) 米$/);

		expect(await smallTargets(page, 'main')).toEqual([]);
		expect(await scrollsSideways(page)).toBe(false);
		// The language toggle gives the English of every label.
		await page.tap('[data-testid="language-toggle"]');
		expect(await page.textContent('h1')).toBe('My buildings');
		expect(await scrollsSideways(page)).toBe(false);
		await page.tap('[data-testid="language-toggle"]');
		await page.screenshot({ path: 'test-results/field-me.png', fullPage: true });

		// Typing a door-plate code opens that building's card on the map.
		await page.fill('[data-testid="find-input"]', last.code.toLowerCase());
		await page.tap('[data-testid="find-button"]');
		await page.waitForURL(new RegExp(`building=${last.code}`));
		await page.waitForSelector(`[data-testid="building-card"][data-code="${last.code}"]`);
		// Headless Chromium has no BarcodeDetector: the scan button is hidden, not broken.
		await page.goBack();
		await page.waitForSelector('[data-testid="my-building-row"]');
		const hasDetector = await page.evaluate(() => 'BarcodeDetector' in window);
		expect((await page.$('[data-testid="scan-button"]')) !== null).toBe(hasDetector);
		await context.close();
	});
});
