/**
 * The grid worker's phone view: sign in on a phone-sized viewport, see only the buildings of
 * one's grids, nearest first from the phone's position, and open one on the map.
 */
import { describe, expect, it } from 'vitest';
import { hydrated, INTRANET_HOST, PAGE_DEFAULTS, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

// The intranet name is configured as a user would configure it: the Host check answers only named hosts.
const app = useBrowserApp({ ALLOWED_HOSTS: INTRANET_HOST });

describe('/me on a phone', () => {
	it('shows a grid worker only their buildings, nearest first, and opens one on the map', async () => {
		// The worker's buildings, computed here from assignments and derived grids.
		const { rows: mine } = await app.t.db.knex.raw(`
			SELECT b.code, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b
			JOIN assignments a ON a.grid_id = b.grid_id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid'`);
		expect(mine.length).toBeGreaterThan(1);
		// Stand 30 m from the last of them, so "nearest first" is not the order of codes.
		const standing = mine[mine.length - 1];
		const position = { longitude: standing.lng + 0.0003, latitude: standing.lat };
		const { rows: expected } = await app.t.db.knex.raw(
			`SELECT b.code FROM buildings b WHERE b.code = ANY(?)
			 ORDER BY ST_Distance(b.anchor::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography), b.code`,
			[mine.map((b: { code: string }) => b.code), position.longitude, position.latitude]
		);

		const context = await app.browser.newContext({
			...PAGE_DEFAULTS,
			viewport: { width: 375, height: 740 },
			deviceScaleFactor: 2,
			isMobile: true,
			hasTouch: true,
			geolocation: position,
			permissions: ['geolocation']
		});
		const page = await context.newPage();
		await page.goto(`${app.server.url}/me`);
		await signInThroughForm(page, 'demo-grid');
		await page.waitForURL(/\/me$/);
		await page.waitForSelector('[data-testid="position"]');
		await page.waitForSelector('[data-testid="my-building"]');
		const codes = await page.$$eval('[data-testid="my-building"]', (links) => links.map((a) => a.getAttribute('data-code')));
		expect(codes).toEqual(expected.map((b: { code: string }) => b.code));
		await page.screenshot({ path: 'test-results/me-phone.png' });

		// A tap opens the building's card on the map (issue 13).
		await page.tap('[data-testid="my-building"] >> nth=0');
		await page.waitForURL(new RegExp(`building=${codes[0]}`));
		await page.waitForSelector(`[data-testid="building-card"][data-code="${codes[0]}"]`);
		await context.close();
	});
});

describe('/me is light until a map is asked for (issue 21)', () => {
	it('links no map stylesheet with the list; the report’s pin map brings it, styled', async () => {
		const { rows } = await app.t.db.knex.raw(`
			SELECT ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b
			JOIN assignments a ON a.grid_id = b.grid_id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' ORDER BY b.code LIMIT 1`);
		const context = await app.browser.newContext({
			...PAGE_DEFAULTS,
			viewport: { width: 360, height: 740 },
			isMobile: true,
			hasTouch: true,
			geolocation: { longitude: rows[0].lng, latitude: rows[0].lat },
			permissions: ['geolocation']
		});
		expect((await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-grid', password: 'demo' } })).status()).toBe(200);
		const page = await context.newPage();
		const mapCss: string[] = [];
		page.on('request', (r) => r.url().includes('maplibre-gl') && r.url().endsWith('.css') && mapCss.push(r.url()));
		await page.goto(`${app.server.url}/me`);
		await page.waitForSelector('[data-testid="my-building"]');
		await hydrated(page);
		// 70 kB of MapLibre's CSS held the list up when it came with the page.
		expect(mapCss).toEqual([]);
		await page.tap('[data-testid="me-report"]');
		await page.waitForSelector('[data-testid="pin-map"] .maplibregl-canvas');
		expect(mapCss).toHaveLength(1);
		// The controls are laid out by that stylesheet: the scale bar sits in its absolute corner.
		await page.waitForFunction(() => {
			const corner = document.querySelector('[data-testid="pin-map"] .maplibregl-ctrl-bottom-left, [data-testid="pin-map"] .maplibregl-ctrl-bottom-right');
			return !!corner && getComputedStyle(corner).position === 'absolute';
		});
		await context.close();
	});
});

describe('signing in on an intranet host over plain HTTP (issue 8, point 3)', () => {
	it('keeps the session cookie and opens /me through a host name that is not localhost', async () => {
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 375, height: 740 } });
		const page = await context.newPage();
		const origin = app.server.url.replace('127.0.0.1', INTRANET_HOST);
		await page.goto(`${origin}/me`);
		await signInThroughForm(page, 'demo-grid');
		await page.waitForURL(`${origin}/me`);
		await page.waitForSelector('[data-testid="my-building"]');
		const [cookie] = await context.cookies(origin);
		expect(cookie).toMatchObject({ name: 'session', domain: INTRANET_HOST, secure: false, httpOnly: true, sameSite: 'Lax' });

		// Signing out clears it again: the deleting cookie is not Secure either.
		await page.evaluate(() => fetch('/api/session', { method: 'DELETE' }));
		expect(await context.cookies(origin)).toEqual([]);
		await context.close();
	});
});
