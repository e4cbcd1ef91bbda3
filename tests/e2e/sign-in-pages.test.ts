/**
 * Sign-in limits in a browser, on a 360 px phone screen (issue "Close the leaks", point 5): the
 * login page tells a user who failed too often when to try again, in Chinese (English on
 * request); the admin's page lists the locked account and unlocks it, and the user signs in.
 */
import { describe, expect, it } from 'vitest';
import type { Page, Response } from 'playwright-core';
import { PAGE_DEFAULTS, hydrated, signInThroughForm, useBrowserApp } from '../helpers/browser.js';
import { retryClock } from '../../src/lib/i18n.js';

const app = useBrowserApp();
const PHONE = { ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } };

let login: Page;

/** Submits the login form and waits for the answer and the message it leads to. */
async function submit(page: Page, username: string, password: string): Promise<{ answer: Response; message: string }> {
	await page.fill('input[name="username"]', username);
	await page.fill('input[name="password"]', password);
	const answering = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST');
	await page.click('button[type="submit"]');
	const answer = await answering;
	// The message is written once the button is free again.
	await page.waitForSelector('button[type="submit"]:not([disabled])');
	return { answer, message: (await page.textContent('[data-testid="login-error"]'))?.trim() ?? '' };
}

describe('the login page and the admin page under sign-in limits', () => {
	it('the login page says, in Chinese, until when a user who failed too often must wait', async () => {
		login = await (await app.browser.newContext(PHONE)).newPage();
		await login.goto(`${app.server.url}/login`);
		await hydrated(login);
		for (let i = 0; i < 4; i++) {
			const { answer, message } = await submit(login, 'demo-community', `guess-${i}`);
			expect(answer.status()).toBe(401);
			expect(message).toBe('用户名或密码错误');
		}
		// The fifth failure says the next attempt waits, and until when.
		const fifth = await submit(login, 'demo-community', 'guess-4');
		expect(fifth.answer.status()).toBe(401);
		const until = retryClock((await fifth.answer.json()).retry_at);
		expect(fifth.message).toBe(`用户名或密码错误。登录失败次数过多，请于 ${until} 后再试`);
		// Even the right password waits now, and is told the same time.
		const early = await submit(login, 'demo-community', 'demo');
		expect(early.answer.status()).toBe(429);
		expect(retryClock((await early.answer.json()).retry_at)).toBe(until);
		expect(early.message).toBe(`登录失败次数过多，请于 ${until} 后再试`);
		expect(early.message).toMatch(/^登录失败次数过多，请于 \d\d:\d\d 后再试$/);
		expect(await login.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		await login.screenshot({ path: 'test-results/sign-in-wait-360.png', fullPage: true });

		// English on request, the same time.
		await login.click('[data-testid="language-toggle"]');
		expect((await login.textContent('[data-testid="login-error"]'))?.trim()).toBe(`Too many failed sign-ins; try again after ${until}`);
		await login.click('[data-testid="language-toggle"]');
	});

	it('the admin page lists the locked account and unlocks it; the user then signs in at once', async () => {
		const page = await (await app.browser.newContext(PHONE)).newPage();
		page.on('dialog', (dialog) => void dialog.accept());
		await page.goto(`${app.server.url}/admin/accounts`);
		await signInThroughForm(page, 'demo-admin');
		const row = '[data-testid="locked-accounts"] li[data-username="demo-community"]';
		await page.waitForSelector(row);
		await hydrated(page);
		// The locked account comes first, saying until when, with the button to unlock it.
		expect(await page.getAttribute('[data-testid="locked-accounts"] li:first-child', 'data-username')).toBe('demo-community');
		expect((await page.textContent(`${row} [data-testid="lock-state"]`))?.trim()).toMatch(/^锁定至 \d\d:\d\d$/);
		expect(await page.textContent(row)).toContain('近一小时失败: 5');
		expect(await page.textContent(row)).toContain('127.0.0.1 ×5');
		// The address is listed too, with its own button, below the threshold of a spray.
		await page.waitForSelector('[data-testid="locked-addresses"] li[data-address="127.0.0.1"]');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		const button = await page.waitForSelector(`${row} button`);
		expect(await button.isVisible()).toBe(true);
		expect((await button.boundingBox())!.x + (await button.boundingBox())!.width).toBeLessThanOrEqual(360);
		await page.screenshot({ path: 'test-results/admin-accounts-locked-360.png', fullPage: true });
		// The page scrolls inside <main> (the layout fixes the body): its end, with the addresses.
		await page.$eval('main', (main) => (main.scrollTop = main.scrollHeight));
		await page.screenshot({ path: 'test-results/admin-accounts-addresses-360.png' });

		await button.click();
		await page.waitForSelector('[data-testid="note-locks"]');
		expect((await page.textContent('[data-testid="note-locks"]'))?.trim()).toBe('已解除“demo-community”的登录锁定');
		await page.waitForSelector(`${row} >> text=正常`);
		expect(await page.$(`${row} button`)).toBeNull();
		await page.screenshot({ path: 'test-results/admin-accounts-unlocked-360.png', fullPage: true });
		const unlocks = await app.t.db.knex('audit_log').where({ action: 'unlock_sign_in', entity: 'account:demo-community' }).select('actor', 'detail');
		expect(unlocks).toEqual([{ actor: 'demo-admin', detail: { cleared: 5 } }]);

		// Back on the phone that was told to wait: the right password now signs in at once.
		await login.fill('input[name="username"]', 'demo-community');
		await login.fill('input[name="password"]', 'demo');
		await login.click('button[type="submit"]');
		await login.waitForURL((url) => url.pathname === '/');
		const signIns = await app.t.db.knex('audit_log').where({ action: 'sign_in', actor: 'demo-community' }).count({ n: '*' });
		expect(signIns).toEqual([{ n: '1' }]);
	});
});
