/**
 * What frames every page (issue 21, points 5 and 6), in Chromium at 360 and 1440 px:
 * - the field worker's offline strip never covers a page's header: not while the territory is
 *   kept on the first visit, not with the network cut;
 * - a path that does not exist and a record outside the reader's territory are pages of the
 *   app, in Chinese (English on request), with a way back — not a bare "404 Not found".
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PAGE_DEFAULTS, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp();
const SIZES = [
	{ name: 'phone', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
	{ name: 'desktop', viewport: { width: 1440, height: 900 }, isMobile: false, hasTouch: false }
];

async function signedIn(username: string | null, size: (typeof SIZES)[number]): Promise<Page> {
	const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch });
	if (username) expect((await context.request.post(`${app.server.url}/api/session`, { data: { username, password: 'demo' } })).status()).toBe(200);
	const page = await context.newPage();
	page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
	return page;
}

/** The rectangles of the offline strip (null when hidden) and of the page's header. */
async function boxes(page: Page) {
	return page.evaluate(() => {
		const rect = (el: Element | null) => {
			if (!el) return null;
			const r = el.getBoundingClientRect();
			return r.height > 0 ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right } : null;
		};
		return { strip: rect(document.querySelector('[data-testid="field-offline"]')), header: rect(document.querySelector('header')) };
	});
}

const overlaps = (a: { top: number; bottom: number; left: number; right: number }, b: { top: number; bottom: number; left: number; right: number }) =>
	a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('the offline strip (point 5)', () => {
	it.each(SIZES)('stays above the header of / and /me, never over it: $name', async (size) => {
		const page = await signedIn('demo-grid', size);
		for (const path of ['/me', '/']) {
			await page.goto(`${app.server.url}${path}`);
			await page.waitForSelector('header');
			// The first visit keeps the territory and the strip says so (later visits keep it silently);
			// then cut the network: it says that.
			if (path === '/me') await page.waitForSelector('[data-testid="field-offline"]', { timeout: 60_000 });
			let seen = await boxes(page);
			expect(seen.header, path).not.toBeNull();
			if (seen.strip) expect(overlaps(seen.strip, seen.header!), `${path} while packing`).toBe(false);
			await page.context().setOffline(true);
			await page.waitForSelector('[data-testid="field-offline"] >> text=无网络');
			seen = await boxes(page);
			expect(seen.strip, path).not.toBeNull();
			expect(overlaps(seen.strip!, seen.header!), `${path} offline`).toBe(false);
			expect(seen.strip!.bottom).toBeLessThanOrEqual(seen.header!.top + 0.5);
			await page.screenshot({ path: `test-results/offline-strip-${size.name}${path === '/' ? '-map' : '-me'}.png` });
			await page.context().setOffline(false);
		}
		await page.context().close();
	});
});

describe('pages that cannot be shown (point 6)', () => {
	it.each(SIZES)('a missing path, signed out, is the app’s 404 in Chinese with a way in: $name', async (size) => {
		const page = await signedIn(null, size);
		const answer = await page.goto(`${app.server.url}/no/such/page`);
		expect(answer?.status()).toBe(404);
		expect(await page.textContent('[data-testid="error-title"]')).toBe('找不到这个页面');
		expect(await page.textContent('[data-testid="error-text"]')).toContain('不在您的辖区内');
		expect(await page.getAttribute('[data-testid="error-home"]', 'href')).toBe('/');
		expect(await page.getAttribute('[data-testid="error-login"]', 'href')).toBe('/login?next=%2Fno%2Fsuch%2Fpage');
		expect(await page.innerText('main')).not.toContain('Not found');
		await page.screenshot({ path: `test-results/error-404-${size.name}.png` });
		await page.context().close();
	});

	it('a case outside a grid worker’s territory is a 404 page leading back to their buildings; English on request', async () => {
		const { rows } = await app.t.db.knex.raw(
			`SELECT i.code FROM issues i WHERE NOT ST_DWithin(i.geom, (SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
				JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid'), 0.01) ORDER BY i.code LIMIT 1`
		);
		const page = await signedIn('demo-grid', SIZES[0]);
		const answer = await page.goto(`${app.server.url}/cases/${rows[0].code}`);
		expect(answer?.status()).toBe(404);
		expect(await page.textContent('[data-testid="error-title"]')).toBe('找不到这个页面');
		expect(await page.getAttribute('[data-testid="error-home"]', 'href')).toBe('/me');
		expect(await page.textContent('[data-testid="error-home"]')).toBe('返回我的楼栋');
		expect(await page.$('[data-testid="error-login"]')).toBeNull();
		await page.waitForFunction(() => history.scrollRestoration === 'manual');
		await page.click('[data-testid="language-toggle"]');
		await page.waitForSelector('[data-testid="error-title"] >> text=Page not found');
		await page.click('[data-testid="error-home"]');
		await page.waitForURL(/\/me$/);
		await page.context().close();
	});
});
