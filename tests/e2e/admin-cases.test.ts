/** The admin's case settings page in a browser, on a phone-sized screen: it loads, and saving a category's rule writes it. */
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, hydrated, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp();

describe('/admin/cases', () => {
	it('an admin changes a category’s handler and saves it; the page never scrolls sideways at 360 px', async () => {
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } })).newPage();
		await page.goto(`${app.server.url}/admin/cases`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="categories"] tr[data-code="environment"]');
		await hydrated(page);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

		const row = '[data-testid="categories"] tr[data-code="environment"]';
		await page.selectOption(`${row} select[name="handler"]`, 'community');
		await page.click(`${row} button`);
		await page.waitForSelector('[data-testid="note-categories"] >> text=已保存');
		expect(await app.t.db.knex('case_categories').where({ code: 'environment' }).first('handler')).toEqual({ handler: 'community' });
		// The saved value is what the reloaded page shows, and the row's button is idle again.
		expect(await page.inputValue(`${row} select[name="handler"]`)).toBe('community');
		expect(await page.isDisabled(`${row} button`)).toBe(true);

		// What the public sees of a category's cases (issue 20, point 1): disputes' points are withheld by default.
		const dispute = '[data-testid="categories"] tr[data-code="dispute"]';
		expect(await page.inputValue(`${dispute} select[name="publication"]`)).toBe('withheld');
		expect(await page.textContent(`${dispute} select[name="publication"] option:checked`)).toBe('不公开位置与描述');
		await page.selectOption(`${dispute} select[name="publication"]`, 'internal');
		await page.click(`${dispute} button`);
		await page.waitForSelector('[data-testid="note-categories"] >> text=已保存');
		expect(await app.t.db.knex('case_categories').where({ code: 'dispute' }).first('publication')).toEqual({ publication: 'internal' });
		const services = (await (await fetch(`${app.server.url}/open311/v2/services.json`)).json()) as { service_code: string }[];
		expect(services.map((s) => s.service_code)).not.toContain('dispute');
		await page.screenshot({ path: 'test-results/admin-cases-publication.png', fullPage: true });
	});

	it('a signed-in non-admin is refused with 403', async () => {
		const page = await (await app.browser.newContext(PAGE_DEFAULTS)).newPage();
		await page.goto(`${app.server.url}/admin/cases`);
		await signInThroughForm(page, 'demo-grid');
		await page.waitForURL(/\/admin\/cases$/);
		const answer = await page.goto(`${app.server.url}/admin/cases`);
		expect(answer?.status()).toBe(403);
	});
});
