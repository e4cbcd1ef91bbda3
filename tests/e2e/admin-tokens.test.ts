/** The admin's personal access tokens page in a browser, on a phone-sized screen: issue a token (shown once), it works as a bearer header, revoke it. */
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, hydrated, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp();

describe('/admin/tokens', () => {
	it('an admin issues a token for an account, copies it once, and revokes it; the page never scrolls sideways at 360 px', async () => {
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } })).newPage();
		page.on('dialog', (dialog) => void dialog.accept());
		await page.goto(`${app.server.url}/admin/tokens`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="issue-token"]');
		await hydrated(page);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

		await page.fill('[data-testid="issue-token"] input[name="username"]', 'demo-planner');
		await page.fill('[data-testid="issue-token"] input[name="label"]', '县自然资源局 QGIS');
		await page.fill('[data-testid="issue-token"] input[name="expires_in_days"]', '90');
		await page.click('[data-testid="issue-token"] button[type="submit"]');
		const token = await (await page.waitForSelector('[data-testid="new-token"]')).inputValue();
		expect(token).toMatch(/^wgz_[A-Za-z0-9_-]{43}$/);
		const row = await app.t.db.knex('access_tokens').orderBy('id', 'desc').first('id', 'label');
		expect(row.label).toBe('县自然资源局 QGIS');
		await page.waitForSelector(`[data-testid="tokens"] tr[data-id="${row.id}"]`);
		// The list never shows the token, only the copy box does.
		expect(await page.textContent('[data-testid="tokens"]')).not.toContain(token.slice(4));

		const who = await fetch(`${app.server.url}/api/session`, { headers: { authorization: `Bearer ${token}` } });
		expect(await who.json()).toEqual({ user: { username: 'demo-planner', role: 'planner' } });

		await page.click(`[data-testid="tokens"] tr[data-id="${row.id}"] button`);
		await page.waitForSelector(`[data-testid="tokens"] tr[data-id="${row.id}"] >> text=已吊销`);
		expect((await fetch(`${app.server.url}/api/session`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
	});

	it('a signed-in non-admin is refused with 403', async () => {
		const page = await (await app.browser.newContext(PAGE_DEFAULTS)).newPage();
		await page.goto(`${app.server.url}/admin/tokens`);
		await signInThroughForm(page, 'demo-grid');
		await page.waitForURL(/\/admin\/tokens$/);
		const answer = await page.goto(`${app.server.url}/admin/tokens`);
		expect(answer?.status()).toBe(403);
	});
});
