/**
 * 三张清单 in a browser (issue 14, part 3): at 360 px, in Chinese, the three tabs list what the
 * tables hold for the caller; open demands are highlighted and their matching resources open
 * under them, liaison units first; the map holds every demand the list does; no sideways
 * scrolling.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

describe('/service-lists', () => {
	it('shows the three lists at 360 px, open demands highlighted, matches on demand', async () => {
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } })).newPage();
		await page.goto(`${app.server.url}/service-lists`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="resources"]');
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		const demands = Number((await app.t.db.knex('demands').count({ n: '*' }))[0].n);
		const onMap = await page.waitForFunction(
			(n) => {
				const map = (window as unknown as { __map: { getSource(id: string): { serialize(): { data: { features: unknown[] } } } | undefined } }).__map;
				return map.getSource('service-demands')?.serialize().data.features.length === n;
			},
			demands
		);
		expect(await onMap.jsonValue()).toBe(true);
		const resources = Number((await app.t.db.knex('resources').count({ n: '*' }))[0].n);
		expect(await page.locator('[data-testid="resources"] li').count()).toBe(resources);
		expect(await page.textContent('[data-testid="tab-resources"]')).toContain('资源清单');

		await page.click('[data-testid="tab-demands"]');
		await page.waitForSelector('[data-testid="demands"]');
		const open = Number((await app.t.db.knex('demands').where({ status: 'open' }).count({ n: '*' }))[0].n);
		expect(open).toBeGreaterThan(0);
		expect(await page.locator('[data-testid="demands"] li.unmatched').count()).toBe(open);
		expect(await page.textContent('[data-testid="demands"] .hint')).toContain(`待对接需求 ${open} 条`);
		await page.locator('[data-testid="demands"] li.unmatched button').first().click();
		await page.waitForSelector('[data-testid="demands"] ol.matches, [data-testid="demands"] li.unmatched .empty');

		await page.click('[data-testid="tab-projects"]');
		await page.waitForSelector('[data-testid="projects"]');
		const projects = Number((await app.t.db.knex('service_projects').count({ n: '*' }))[0].n);
		expect(await page.locator('[data-testid="projects"] progress').count()).toBe(projects);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.screenshot({ path: 'test-results/service-lists-360.png', fullPage: true });
	});
});
