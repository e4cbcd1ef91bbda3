/** The roster and person pages in a browser: assign a building head, see them, see their territory. */
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp();

describe('roster and person pages', () => {
	it('an admin assigns a building head on the roster page, and the person page shows the role and territory', async () => {
		const { rows } = await app.t.db.knex.raw(`SELECT b.code FROM buildings b WHERE NOT EXISTS (
			SELECT 1 FROM assignments a WHERE a.building_id = b.id AND a.role = 'building_head') ORDER BY b.code LIMIT 1`);
		const building = rows[0].code;
		const { rows: people } = await app.t.db.knex.raw(`SELECT code, name FROM people WHERE is_party_member ORDER BY code DESC LIMIT 1`);
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 390, height: 800 } })).newPage();
		await page.goto(`${app.server.url}/roster/building/${building}`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="assign-form"]');
		await page.fill('[data-testid="assign-form"] input >> nth=0', people[0].code);
		await page.selectOption('[data-testid="assign-form"] select', 'building_head');
		await page.fill('[data-testid="assign-form"] input >> nth=2', '居民推选');
		await page.click('[data-testid="assign-form"] button[type="submit"]');
		await page.waitForSelector(`[data-testid="roster"] >> text=${people[0].name}`);
		await page.click(`[data-testid="roster"] a >> text=${people[0].name}`);
		await page.waitForSelector('[data-testid="territory-map"][data-ready="true"]');
		expect(await page.textContent('[data-testid="current-roles"]')).toContain('楼栋长');
		await page.screenshot({ path: 'test-results/person.png' });
	});
});
