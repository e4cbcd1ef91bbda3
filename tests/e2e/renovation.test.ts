/**
 * The housing bureau's ledger in Chromium (issue 11): the housing account filters by status;
 * the table, its totals and the map show the same projects (the map's rendered features read
 * through window.__map), and the GeoJSON export of the filtered set holds as many.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { PAGE_DEFAULTS, hydrated, useBrowserApp } from '../helpers/browser.js';

declare global {
	interface Window {
		__map: MapLibreMap;
	}
}

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

/** Resolves once the map has drawn everything it has asked for. */
function mapIdle(page: Page) {
	return page.evaluate(
		() =>
			new Promise<void>((resolve) => {
				const map = window.__map;
				if (map.loaded() && !map.isMoving() && map.areTilesLoaded()) resolve();
				else map.once('idle', () => resolve());
			})
	);
}

const tableCodes = (page: Page) => page.$$eval('[data-testid="ledger"] tbody tr[data-code]', (rows) => rows.map((r) => (r as HTMLElement).dataset.code!));
const mapCodes = (page: Page) =>
	page.evaluate(() => [...new Set(window.__map.queryRenderedFeatures({ layers: ['renovation-fill'] }).map((f) => String(f.properties.code)))].sort());

describe('the renovation ledger in the browser', () => {
	it('filters by status; table, totals and map agree, and the GeoJSON export has the same count', async () => {
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 900 } });
		const res = await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-housing', password: 'demo' }, headers: { origin: app.server.url } });
		expect(res.status()).toBe(200);
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto(`${app.server.url}/renovation`);
		await hydrated(page);
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await mapIdle(page);

		const { rows } = await app.t.db.knex.raw(`SELECT code FROM renovation_projects WHERE status = 'under_construction' ORDER BY code`);
		const expected = rows.map((r: { code: string }) => r.code);
		expect(expected.length).toBeGreaterThan(1);
		const all = (await tableCodes(page)).length;
		expect(all).toBeGreaterThan(expected.length);

		await page.selectOption('[data-testid="filter-status"]', 'under_construction');
		await page.waitForFunction((n) => document.querySelector('[data-testid="total-projects"]')?.textContent === String(n), expected.length);
		expect(await tableCodes(page)).toEqual(expected);
		expect(await page.evaluate(() => window.__map.getFilter('renovation-fill'))).toEqual(['in', ['get', 'code'], ['literal', expected]]);
		await mapIdle(page);
		expect(await mapCodes(page)).toEqual([...expected].sort());

		const href = await page.getAttribute('[data-testid="export-geojson"]', 'href');
		expect(href).toBe('/api/renovation.geojson?status=under_construction');
		const exported = await (await context.request.get(`${app.server.url}${href}`)).json();
		expect(exported.features.length).toBe(expected.length);
		expect(exported.features.map((f: { id: string }) => f.id)).toEqual(expected);
		await page.screenshot({ path: 'test-results/renovation-ledger.png', fullPage: true });
		expect(errors).toEqual([]);
		await context.close();
	});
});
