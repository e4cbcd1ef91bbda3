/**
 * The rain-alert journey (issue 21, point 1), planner → grid worker, in Chromium on the sample:
 * the planner (demo-planner, 1440 px) opens /flood and, before switching on, sees how many
 * buildings the default alert reaches and that demo-grid's worker is among those told; switches
 * it on. The grid worker (demo-grid, a 360 px phone) opens /flood/inspection, finds the
 * buildings of their grid and checks one off with the water depth; the planner's progress
 * moves without a reload. Switched off, the phone says there is no alert; switched on for
 * another community only, it says the alert does not cover their grid. No console error on
 * either page. Screenshots: test-results/journey-rain-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { PAGE_DEFAULTS, hydrated, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp();

/** A browser context for a user, signed in through the login form on the way to `path`, with its console errors collected. */
async function open(username: string, path: string, errors: string[], options: object): Promise<{ context: BrowserContext; page: Page }> {
	const context = await app.browser.newContext({ ...PAGE_DEFAULTS, ...options });
	const page = await context.newPage();
	page.on('console', (m) => m.type() === 'error' && errors.push(`${username} console: ${m.text()}`));
	page.on('pageerror', (e) => errors.push(`${username} pageerror: ${e.message}`));
	await page.goto(`${app.server.url}${path}`);
	await signInThroughForm(page, username);
	await page.waitForURL(`${app.server.url}${path}`);
	await hydrated(page);
	return { context, page };
}

const text = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ');

describe('the rain-alert journey', () => {
	it('planner previews and switches on, the grid worker checks a building off on the phone, the planner sees it move, then off', async () => {
		const errors: string[] = [];
		const db = app.t.db.knex;
		// demo-grid's grid and worker; the buildings the default alert (100 m) reaches, by a statement written out here:
		// every active spot, and the monitored ones from 中度 up.
		const { rows: gridRows } = await db.raw(`
			SELECT g.id, g.code, g.name, c.code AS community, p.name AS worker FROM users u
			JOIN assignments a ON a.person_id = u.person_id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN grids g ON g.id = a.grid_id JOIN communities c ON c.id = g.community_id JOIN people p ON p.id = u.person_id
			WHERE u.username = 'demo-grid' ORDER BY g.code LIMIT 1`);
		const grid = gridRows[0];
		const { rows: reached } = await db.raw(`
			SELECT DISTINCT b.code, b.grid_id FROM buildings b JOIN flood_spots s ON ST_DWithin(b.anchor::geography, s.geom::geography, 100)
			WHERE s.status = 'active' OR (s.status = 'monitoring' AND s.severity IN ('medium', 'high')) ORDER BY b.code`);
		const ours = reached.filter((r: { grid_id: number }) => r.grid_id === grid.id).map((r: { code: string }) => r.code as string);
		expect(ours.length).toBeGreaterThan(0);
		const total = reached.length;

		// 1. The planner opens /flood: before switching on, the preview names the buildings and demo-grid's worker.
		const planner = await open('demo-planner', '/flood', errors, { viewport: { width: 1440, height: 900 } });
		const preview = planner.page.locator(`[data-testid="rain-preview"][data-buildings="${total}"]`);
		await preview.waitFor();
		expect(await text(planner.page, '[data-testid="rain-preview"]')).toContain(`将覆盖 ${total} 栋楼`);
		const ourGrid = `[data-testid="rain-preview-grid"][data-grid="${grid.code}"]`;
		expect(await text(planner.page, ourGrid)).toContain(grid.name);
		expect(await text(planner.page, ourGrid)).toContain(grid.worker);
		expect(await text(planner.page, ourGrid)).toContain(`${ours.length} 栋`);
		// The default spots: every active spot, monitored ones from 中度 up.
		expect(await planner.page.locator('[data-testid="rain-scope-active"]').inputValue()).toBe('low');
		expect(await planner.page.locator('[data-testid="rain-scope-monitoring"]').inputValue()).toBe('medium');
		await planner.page.screenshot({ path: 'test-results/journey-rain-1-preview.png', fullPage: true });

		await planner.page.fill('[data-testid="rain-note"]', '气象台预报:今夜大暴雨,累计降雨 120 毫米');
		await planner.page.click('[data-testid="rain-start"]');
		await planner.page.waitForSelector('[data-testid="rain-alert"][data-on="true"]');
		expect(await text(planner.page, '[data-testid="rain-progress"]')).toContain(`已巡查 0 / ${total} 栋`);
		expect(await text(planner.page, '[data-testid="rain-scope-summary"]')).toContain('活跃轻度及以上、监测中中度及以上;周边 100 米');
		// A mark that a reload would wipe: the progress below must move without one.
		await planner.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

		// 2. The grid worker on the phone: their grid's buildings on the list, one checked off with the depth.
		const worker = await open('demo-grid', '/flood/inspection', errors, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
		const section = `[data-testid="rain-grid"][data-grid="${grid.code}"]`;
		await worker.page.waitForSelector(section);
		expect(await worker.page.locator('[data-testid="rain-grid"]').count()).toBe(1);
		expect(await text(worker.page, `${section} h2`)).toContain(`${grid.name} ${grid.code} · 0/${ours.length}`);
		expect((await worker.page.locator(`${section} [data-testid="rain-building"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).sort()).toEqual(ours);
		expect(await text(worker.page, '[data-testid="rain-progress"]')).toContain(`已巡查 0 / ${ours.length} 栋`);
		await worker.page.screenshot({ path: 'test-results/journey-rain-2-phone-list.png', fullPage: true });
		const item = `[data-testid="rain-building"][data-code="${ours[0]}"]`;
		await worker.page.fill(`${item} [data-testid="rain-depth"]`, '12');
		await worker.page.tap(`${item} [data-testid="rain-check"]`);
		await worker.page.waitForSelector(`${item}[data-checked="true"]`);
		expect(await text(worker.page, item)).toContain('demo-grid 已巡查');
		expect(await text(worker.page, item)).toContain('水深(厘米) 12');
		expect(await text(worker.page, '[data-testid="rain-progress"]')).toContain(`已巡查 1 / ${ours.length} 栋`);
		// The water seen is an incident of the spot the building was listed for (the one the card names), not of a spot across town.
		const listedFor = (await text(worker.page, item)).match(/距积水点 (F\d+)/)![1];
		const { rows: incident } = await db.raw(
			`SELECT s.code, f.depth_cm FROM rain_alert_buildings rb JOIN flood_incidents f ON f.id = rb.flood_incident_id JOIN flood_spots s ON s.id = f.flood_spot_id
			 JOIN buildings b ON b.id = rb.building_id WHERE b.code = :code`,
			{ code: ours[0] }
		);
		expect(incident).toEqual([{ code: listedFor, depth_cm: 12 }]);
		await worker.page.screenshot({ path: 'test-results/journey-rain-3-phone-checked.png', fullPage: true });

		// 3. The planner's progress moves by itself: no 刷新, no reload.
		await planner.page.waitForSelector('[data-testid="rain-progress"][data-checked="1"]');
		expect(await text(planner.page, '[data-testid="rain-progress"]')).toContain(`已巡查 1 / ${total} 栋`);
		expect(await planner.page.getAttribute(`[data-testid="rain-progress-grid"][data-grid="${grid.code}"]`, 'data-checked')).toBe('1');
		expect(await planner.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
		await planner.page.screenshot({ path: 'test-results/journey-rain-4-progress.png', fullPage: true });

		// 4. Switched off: the phone says there is no alert.
		await planner.page.click('[data-testid="rain-end"]');
		await planner.page.waitForSelector('[data-testid="rain-alert"][data-on="false"]');
		await worker.page.reload();
		await worker.page.waitForSelector('[data-testid="rain-alert-off"]');
		expect(await text(worker.page, '[data-testid="rain-alert-off"]')).toContain('当前没有暴雨预警');
		await worker.page.screenshot({ path: 'test-results/journey-rain-5-phone-off.png', fullPage: true });

		// 5. On again for another community only: the preview no longer names demo-grid's worker, and the phone says why its list is empty.
		await planner.page.locator('[data-testid="rain-scope"] details summary').click();
		const { rows: other } = await db.raw(
			`SELECT c.code, count(DISTINCT b.grid_id)::int AS grids FROM communities c JOIN grids g ON g.community_id = c.id JOIN buildings b ON b.grid_id = g.id
			 JOIN flood_spots s ON ST_DWithin(b.anchor::geography, s.geom::geography, 100)
			 WHERE c.code <> :ours AND (s.status = 'active' OR (s.status = 'monitoring' AND s.severity IN ('medium', 'high')))
			 GROUP BY c.code ORDER BY c.code LIMIT 1`,
			{ ours: grid.community }
		);
		await planner.page.check(`[data-testid="rain-scope-community"][data-code="${other[0].code}"]`);
		await planner.page.waitForFunction(
			(n) => document.querySelectorAll('[data-testid="rain-preview-grid"]').length === n && document.querySelector('[data-testid="rain-preview"]')?.getAttribute('data-buildings') !== '',
			other[0].grids
		);
		expect(await planner.page.locator(ourGrid).count()).toBe(0);
		await planner.page.fill('[data-testid="rain-note"]', '临港片区短时强降雨');
		await planner.page.click('[data-testid="rain-start"]');
		await planner.page.waitForSelector('[data-testid="rain-alert"][data-on="true"]');
		await worker.page.reload();
		await worker.page.waitForSelector('[data-testid="rain-not-covered"]');
		const why = await text(worker.page, '[data-testid="rain-not-covered"]');
		expect(why).toContain('本次预警不涉及您的网格');
		expect(why).toContain(`本次预警覆盖 ${other[0].grids} 个网格`);
		await worker.page.screenshot({ path: 'test-results/journey-rain-6-phone-not-covered.png', fullPage: true });
		await planner.page.click('[data-testid="rain-end"]');
		await planner.page.waitForSelector('[data-testid="rain-alert"][data-on="false"]');

		expect(errors).toEqual([]);
		await planner.context.close();
		await worker.context.close();
	});
});
