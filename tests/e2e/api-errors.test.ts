/**
 * Server refusals in the UI language (issue 21, point 7). Every JSON error answer carries the
 * catalogue's stable code and the message's params beside the English message, which API
 * clients read unchanged; pages render the code in Chinese. Before, the roster and the boundary
 * page showed the server's English sentence to a Chinese reader.
 */
import { describe, expect, it } from 'vitest';
import { transformTranslate } from '@turf/turf';
import { PAGE_DEFAULTS, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

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
});
