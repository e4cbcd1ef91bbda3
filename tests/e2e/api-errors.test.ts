/**
 * Server refusals in the UI language (issue 21, point 7). Every JSON error answer carries the
 * catalogue's stable code and the message's params beside the English message, which API
 * clients read unchanged; pages render the code in Chinese. Before, the roster and the boundary
 * page showed the server's English sentence to a Chinese reader.
 */
import { describe, expect, it } from 'vitest';
import { destination, transformTranslate } from '@turf/turf';
import { PAGE_DEFAULTS, hydrated, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp();

async function cookieOf(username: string): Promise<string> {
	const res = await fetch(`${app.server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
	expect(res.status, username).toBe(200);
	return res.headers.get('set-cookie')!.split(';')[0];
}

describe('API error answers', () => {
	it('carry code and params beside the unchanged English message', async () => {
		const cookie = await cookieOf('demo-grid');
		// A point in a grid that is not demo-grid's: refused by the territory check.
		const { rows } = await app.t.db.knex.raw(`
			SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g
			WHERE g.id NOT IN (SELECT a.grid_id FROM assignments a JOIN users u ON u.person_id = a.person_id
				WHERE u.username = 'demo-grid' AND a.grid_id IS NOT NULL)
			  AND g.community_id NOT IN (SELECT g2.community_id FROM grids g2 JOIN assignments a ON a.grid_id = g2.id JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid')
			ORDER BY g.code LIMIT 1`);
		const lng = Number(rows[0].lng);
		const lat = Number(rows[0].lat);
		const before = Number((await app.t.db.knex('issues').count({ n: '*' }))[0].n);
		const res = await fetch(`${app.server.url}/api/cases`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json', origin: app.server.url },
			body: JSON.stringify({ category: 'environment', description: '垃圾未清运', lng, lat })
		});
		expect(res.status).toBe(403);
		const body = await res.json();
		expect(body).toEqual({
			message: `the point [${lng}, ${lat}] is outside your territory`,
			code: 'point_outside_territory',
			params: { lng: String(lng), lat: String(lat) }
		});
		expect(Number((await app.t.db.knex('issues').count({ n: '*' }))[0].n)).toBe(before);

		// A parameter reader's 400, the router's 404 and 405: the same three fields.
		const bad = await fetch(`${app.server.url}/api/areas/at?lng=abc&lat=28.8`);
		expect(bad.status).toBe(400);
		expect(await bad.json()).toEqual({ message: "lng must be a number, got 'abc'", code: 'number_got', params: { field: 'lng', value: "'abc'" } });
		const missing = await fetch(`${app.server.url}/api/no-such-thing`);
		expect(missing.status).toBe(404);
		expect(await missing.json()).toEqual({ message: 'no endpoint GET /api/no-such-thing', code: 'no_endpoint', params: { method: 'GET', path: '/api/no-such-thing' } });
		const wrongMethod = await fetch(`${app.server.url}/api/search?q=xx`, { method: 'DELETE', headers: { cookie, origin: app.server.url } });
		expect(wrongMethod.status).toBe(405);
		const refused = await wrongMethod.json();
		expect(refused.code).toBe('method_not_allowed');
		expect(refused.message).toMatch(/^DELETE is not allowed on \/api\/search; allowed: /);

		// The sign-in door's own JSON answers too.
		const wrong = await fetch(`${app.server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-grid', password: 'nope' }) });
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toMatchObject({ message: 'wrong username or password', code: 'wrong_password', params: {} });
	});
});

describe('pages show a server refusal in Chinese', () => {
	it('the roster page names the unknown person in Chinese, not in English', async () => {
		const { rows } = await app.t.db.knex.raw(`SELECT code FROM buildings ORDER BY code LIMIT 1`);
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 390, height: 800 } })).newPage();
		await page.goto(`${app.server.url}/roster/building/${rows[0].code}`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="assign-form"]');
		await page.fill('[data-testid="assign-form"] input >> nth=0', 'P-NOBODY');
		await page.fill('[data-testid="assign-form"] input >> nth=2', '居民推选');
		await page.click('[data-testid="assign-form"] button[type="submit"]');
		const alert = page.locator('main [role="alert"]');
		await alert.waitFor();
		expect(await alert.textContent()).toBe('没有编码为“P-NOBODY”的人员');
		await alert.scrollIntoViewIfNeeded();
		await page.screenshot({ path: 'test-results/api-errors-roster.png' });
		await page.context().close();
	});

	it('the boundary page tells a community admin in Chinese that the outline leaves the community', async () => {
		const { rows } = await app.t.db.knex.raw(`
			SELECT g.code, ST_AsGeoJSON(g.geom) AS g FROM users u
			JOIN assignments a ON a.person_id = u.person_id AND a.role = 'community_secretary' AND a.valid_to IS NULL
			JOIN grids g ON g.community_id = a.community_id
			WHERE u.username = 'demo-community' ORDER BY g.code LIMIT 1`);
		// Moved 3 km east: most of it lies outside the community.
		const moved = transformTranslate({ type: 'Feature', properties: {}, geometry: JSON.parse(rows[0].g) }, 3000, 90, { units: 'meters' });
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 800 } })).newPage();
		await page.goto(`${app.server.url}/boundaries/grid/${rows[0].code}`);
		await signInThroughForm(page, 'demo-community');
		await page.waitForSelector('[data-testid="boundary-map"][data-ready="true"]');
		await page.setInputFiles('input[type="file"]', { name: 'grid.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(moved)) });
		await page.click('[data-testid="boundary-preview"]');
		const alert = page.locator('[role="alert"]');
		await alert.waitFor();
		const text = (await alert.textContent()) ?? '';
		expect(text).toMatch(/^边界超出您的社区 [\d.,]+ 平方米；社区账号只能调整本社区网格之间的边界$/);
		expect(text).not.toMatch(/outside|community admin/);
		await page.screenshot({ path: 'test-results/api-errors-boundary.png' });
		await page.context().close();
	});

	it('a refused outbox record gives the server’s reason in Chinese: the rain alert ended before the check arrived', async () => {
		// A building of demo-grid's grid and a flood spot 30 m from it, so the alert lists it.
		const { rows } = await app.t.db.knex.raw(`
			SELECT b.code, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b
			JOIN assignments a ON a.grid_id = b.grid_id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' ORDER BY b.code LIMIT 1`);
		const building = rows[0].code as string;
		const at = destination([Number(rows[0].lng), Number(rows[0].lat)], 30, 120, { units: 'meters' }).geometry.coordinates;
		const planner = await fetch(`${app.server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-planner', password: 'demo' }) });
		const headers = { cookie: planner.headers.get('set-cookie')!.split(';')[0], 'content-type': 'application/json', origin: app.server.url };
		const spot = await fetch(`${app.server.url}/api/flood`, { method: 'POST', headers, body: JSON.stringify({ name: '测试下穿通道', cause: 'low_lying', severity: 'high', geometry: { type: 'Point', coordinates: at } }) });
		expect(spot.status).toBe(201);
		const started = await fetch(`${app.server.url}/api/rain-alerts`, { method: 'POST', headers, body: JSON.stringify({ note: '今夜大暴雨' }) });
		expect(started.status).toBe(201);
		const alertId = (await started.json()).id as number;

		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
		expect((await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-grid', password: 'demo' }, headers: { origin: app.server.url } })).status()).toBe(200);
		const page = await context.newPage();
		await page.goto(`${app.server.url}/flood/inspection`);
		await hydrated(page);
		const item = `[data-testid="rain-building"][data-code="${building}"]`;
		await page.waitForSelector(`${item}[data-checked="false"]`);
		// The planner switches the alert off while the worker's list is open.
		expect((await fetch(`${app.server.url}/api/rain-alerts/${alertId}/end`, { method: 'POST', headers })).status).toBe(200);
		await page.fill(`${item} [data-testid="rain-depth"]`, '15');
		await page.tap(`${item} [data-testid="rain-check"]`);
		const alert = page.locator('main [role="alert"], [role="alert"].error').first();
		await alert.waitFor();
		const text = (await alert.textContent()) ?? '';
		expect(text).toMatch(new RegExp(`^冲突：降雨预警 ${alertId} 已于 \\d{4}/\\d{1,2}/\\d{1,2} \\d{2}:\\d{2} 关闭$`));
		// The outbox kept the code and params beside the English message.
		const kept = await page.evaluate(
			() =>
				new Promise<unknown[]>((resolve, reject) => {
					const open = indexedDB.open('wangge-outbox');
					open.onerror = () => reject(open.error);
					open.onsuccess = () => {
						const db = open.result;
						const request = db.transaction(db.objectStoreNames[0], 'readonly').objectStore(db.objectStoreNames[0]).getAll();
						request.onsuccess = () => resolve(request.result);
						request.onerror = () => reject(request.error);
					};
				})
		);
		expect(kept).toEqual([expect.objectContaining({ state: 'conflict', code: 'rain_alert_off_since', params: { id: String(alertId), at: expect.any(String) }, message: expect.stringMatching(/^rain alert \d+ is off \(since /) })]);
		await page.screenshot({ path: 'test-results/api-errors-outbox.png' });
		await context.close();
	});
});
