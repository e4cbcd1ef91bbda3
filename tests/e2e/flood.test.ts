/**
 * A rain alert as its users walk it, in Chromium: the planner switches it on from /flood; a
 * grid worker on a phone opens the inspection list from /me, checks a building off with the
 * water depth; the planner's progress display moves by one, and the depth is a flood
 * incident. The list is exported as CSV with each building once. Screenshots are kept in
 * test-results/flood-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import * as turf from '@turf/turf';
import { PAGE_DEFAULTS, hydrated, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp();

async function signedIn(username: string, options: object = {}): Promise<{ context: BrowserContext; page: Page }> {
	const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 900 }, ...options });
	const res = await context.request.post(`${app.server.url}/api/session`, { data: { username, password: 'demo' }, headers: { origin: app.server.url } });
	expect(res.status()).toBe(200);
	return { context, page: await context.newPage() };
}

/** The progress the planner's page shows: [checked, total] from its display. */
async function shownProgress(page: Page): Promise<[number, number]> {
	const el = await page.waitForSelector('[data-testid="rain-progress"]');
	return [Number(await el.getAttribute('data-checked')), Number(await el.getAttribute('data-total'))];
}

describe('a rain alert in the browser', () => {
	it('a grid worker checks a building off on the phone and the planner sees the progress move', async () => {
		// A building of demo-grid's grid, and an active flood spot 30 m from it.
		const { rows } = await app.t.db.knex.raw(`
			SELECT b.code, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b
			JOIN assignments a ON a.grid_id = b.grid_id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' ORDER BY b.code LIMIT 1`);
		const building = rows[0].code as string;
		const at = turf.destination([Number(rows[0].lng), Number(rows[0].lat)], 30, 120, { units: 'meters' }).geometry.coordinates;

		const planner = await signedIn('demo-planner');
		const spot = await planner.context.request.post(`${app.server.url}/api/flood`, {
			data: { name: '测试下穿通道', cause: 'low_lying', severity: 'high', geometry: { type: 'Point', coordinates: at } },
			headers: { origin: app.server.url }
		});
		expect(spot.status()).toBe(201);

		// 1. The planner switches the alert on, with the forecast.
		await planner.page.goto(`${app.server.url}/flood`);
		await hydrated(planner.page);
		await planner.page.fill('[data-testid="rain-note"]', '气象台预报:今夜大暴雨,累计降雨 100 毫米');
		await planner.page.click('[data-testid="rain-start"]');
		await planner.page.waitForSelector('[data-testid="rain-alert"][data-on="true"]');
		const [checked0, total] = await shownProgress(planner.page);
		expect(checked0).toBe(0);
		const frozen = Number((await app.t.db.knex('rain_alert_buildings').count({ n: '*' }))[0].n);
		expect(total).toBe(frozen);
		await planner.page.screenshot({ path: 'test-results/flood-1-alert-on.png', fullPage: true });

		// 2. The grid worker opens the list from /me on the phone and checks the building off.
		const worker = await signedIn('demo-grid', { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
		await worker.page.goto(`${app.server.url}/me`);
		await hydrated(worker.page);
		await worker.page.tap('[data-testid="me-rain"]');
		const item = `[data-testid="rain-building"][data-code="${building}"]`;
		await worker.page.waitForSelector(`${item}[data-checked="false"]`);
		await hydrated(worker.page);
		await worker.page.fill(`${item} [data-testid="rain-depth"]`, '15');
		await worker.page.tap(`${item} [data-testid="rain-check"]`);
		await worker.page.waitForSelector(`${item}[data-checked="true"]`);
		await worker.page.screenshot({ path: 'test-results/flood-2-phone-checked.png', fullPage: true });
		const incident = await app.t.db.knex('rain_alert_buildings as rb').join('flood_incidents as f', 'f.id', 'rb.flood_incident_id').first('f.depth_cm');
		expect(incident.depth_cm).toBe(15);

		// 3. The planner's progress display moves by one.
		await planner.page.click('button:has-text("刷新")');
		await planner.page.waitForSelector('[data-testid="rain-progress"][data-checked="1"]');
		expect(await shownProgress(planner.page)).toEqual([1, total]);
		expect(await planner.page.textContent('[data-testid="rain-progress"]')).toContain(`已巡查 1 / ${total} 栋`);
		await planner.page.screenshot({ path: 'test-results/flood-3-progress.png', fullPage: true });

		// The export lists each building once.
		const alert = (await app.t.db.knex('rain_alerts').first('id')).id;
		const csv = await (await planner.context.request.get(`${app.server.url}/api/rain-alerts/${alert}/buildings.csv`)).text();
		const lines = csv.trim().split('\r\n');
		expect(lines.length - 1).toBe(total);
		expect(lines.filter((l) => l.includes(`,${building},`)).length).toBe(1);
		await planner.context.close();
		await worker.context.close();
	});
});
