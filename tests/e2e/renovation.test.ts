/**
 * The housing bureau's ledger in Chromium (issue 11): the housing account filters by status;
 * the table, its totals and the map show the same projects (the map's rendered features read
 * through window.__map), and the GeoJSON export of the filtered set holds as many.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { PAGE_DEFAULTS, hydrated, useBrowserApp } from '../helpers/browser.js';

declare global {
	interface Window {
		__map: MapLibreMap;
	}
}

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

/** Resolves once the map has drawn everything it has asked for. */
function mapIdle(page: Page) {
	return page.evaluate(
		() =>
			new Promise<void>((resolve) => {
				const map = window.__map;
				if (map.loaded() && !map.isMoving() && map.areTilesLoaded()) resolve();
				else map.once('idle', () => resolve());
			})
	);
}

const tableCodes = (page: Page) => page.$$eval('[data-testid="ledger"] tbody tr[data-code]', (rows) => rows.map((r) => (r as HTMLElement).dataset.code!));
const mapCodes = (page: Page) =>
	page.evaluate(() => [...new Set(window.__map.queryRenderedFeatures({ layers: ['renovation-fill'] }).map((f) => String(f.properties.code)))].sort());

describe('the renovation ledger in the browser', () => {
	it('filters by status; table, totals and map agree, and the GeoJSON export has the same count', async () => {
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 900 } });
		const res = await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-housing', password: 'demo' }, headers: { origin: app.server.url } });
		expect(res.status()).toBe(200);
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto(`${app.server.url}/renovation`);
		await hydrated(page);
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await mapIdle(page);

		const { rows } = await app.t.db.knex.raw(`SELECT code FROM renovation_projects WHERE status = 'under_construction' ORDER BY code`);
		const expected = rows.map((r: { code: string }) => r.code);
		expect(expected.length).toBeGreaterThan(1);
		const all = (await tableCodes(page)).length;
		expect(all).toBeGreaterThan(expected.length);

		await page.selectOption('[data-testid="filter-status"]', 'under_construction');
		await page.waitForFunction((n) => document.querySelector('[data-testid="total-projects"]')?.textContent === String(n), expected.length);
		expect(await tableCodes(page)).toEqual(expected);
		expect(await page.evaluate(() => window.__map.getFilter('renovation-fill'))).toEqual(['in', ['get', 'code'], ['literal', expected]]);
		await mapIdle(page);
		expect(await mapCodes(page)).toEqual([...expected].sort());

		const href = await page.getAttribute('[data-testid="export-geojson"]', 'href');
		expect(href).toBe('/api/renovation.geojson?status=under_construction');
		const exported = await (await context.request.get(`${app.server.url}${href}`)).json();
		expect(exported.features.length).toBe(expected.length);
		expect(exported.features.map((f: { id: string }) => f.id)).toEqual(expected);
		await page.screenshot({ path: 'test-results/renovation-ledger.png', fullPage: true });
		expect(errors).toEqual([]);
		await context.close();
	});

	it('lets housing create and step a project over HTTP, not a planner; the project page shows it on a phone; the ledger prints without its map', async () => {
		const signIn = async (username: string, viewport = { width: 1280, height: 900 }) => {
			const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport });
			const res = await context.request.post(`${app.server.url}/api/session`, { data: { username, password: 'demo' }, headers: { origin: app.server.url } });
			expect(res.status()).toBe(200);
			return context;
		};
		const { rows } = await app.t.db.knex.raw(`SELECT ST_X(ST_PointOnSurface(k.geom)) AS x, ST_Y(ST_PointOnSurface(k.geom)) AS y FROM compounds k
			WHERE k.is_old AND NOT EXISTS (SELECT 1 FROM renovation_projects p WHERE ST_Covers(p.geom, ST_PointOnSurface(k.geom))) ORDER BY k.code LIMIT 1`);
		const [x, y] = [Number(rows[0].x), Number(rows[0].y)];
		const d = 0.0001;
		const geometry = { type: 'Polygon', coordinates: [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]] };
		const headers = { origin: app.server.url };

		const planner = await signIn('demo-planner');
		const refused = await planner.request.post(`${app.server.url}/api/renovation`, { data: { name: '规划局的', geometry }, headers });
		expect([refused.status(), (await refused.json()).message]).toEqual([403, 'a planner account may not create renovation projects']);
		await planner.close();

		const housing = await signIn('demo-housing', { width: 360, height: 740 });
		const bad = await housing.request.post(`${app.server.url}/api/renovation`, { data: { name: '进度不对', geometry, progress_pct: 120 }, headers });
		expect([bad.status(), (await bad.json()).message]).toEqual([400, 'progress_pct must be a whole number from 0 to 100, got 120']);
		const created = await housing.request.post(`${app.server.url}/api/renovation`, { data: { name: '测试片区改造', geometry, funds: { central: { planned: 1_000_000 } } }, headers });
		expect(created.status()).toBe(201);
		const { code } = await created.json();
		const jump = await housing.request.patch(`${app.server.url}/api/renovation/${code}`, { data: { status: 'completed' }, headers });
		expect([jump.status(), (await jump.json()).message]).toEqual([409, 'a project that is planned cannot become completed; the next status is approved']);
		const step = await housing.request.patch(`${app.server.url}/api/renovation/${code}`, { data: { status: 'approved', progress_pct: 5 }, headers });
		expect(step.status()).toBe(200);

		const page = await housing.newPage();
		await page.goto(`${app.server.url}/renovation/${code}`);
		await hydrated(page);
		expect(await page.getAttribute('[data-testid="project-status"]', 'data-status')).toBe('approved');
		expect(await page.$$eval('[data-testid="project-history"] li', (li) => li.length)).toBe(3);
		await page.click('[data-testid="project-next"]');
		await page.waitForSelector('[data-testid="project-status"][data-status="under_construction"]');
		expect(await page.evaluate(() => document.querySelector('main')!.scrollWidth <= document.querySelector('main')!.clientWidth)).toBe(true);
		// money by source on the phone: the totals follow, and the history says what changed
		await page.click('[data-testid="funds-edit"]');
		await page.fill('input[name="residents.spent"]', '20000');
		await page.click('[data-testid="funds-form"] button[type="submit"]');
		await page.waitForSelector('[data-testid="funds-edit"]');
		// Shown in the table's one unit, 万元 (issue 21): ¥20,000 spent is 2.00.
		expect(await page.$$eval('[data-testid="project-funds"] tfoot td.num', (tds) => tds.map((td) => td.textContent?.trim()).at(-1))).toBe('2.00');
		expect(await page.$$eval('[data-testid="project-history"] li', (li) => li.length)).toBe(5);
		const anonymous = await app.browser.newContext();
		expect((await anonymous.request.get(`${app.server.url}/api/renovation`)).status()).toBe(401);
		await anonymous.close();
		await page.screenshot({ path: 'test-results/renovation-project-360.png', fullPage: true });
		await housing.close();

		const desk = await signIn('demo-housing');
		const ledger = await desk.newPage();
		await ledger.goto(`${app.server.url}/renovation`);
		await hydrated(ledger);
		await ledger.emulateMedia({ media: 'print' });
		expect(await ledger.evaluate(() => getComputedStyle(document.querySelector('section.map')!).display)).toBe('none');
		const total = await ledger.textContent('[data-testid="total-projects"]');
		expect(await ledger.$$eval('[data-testid="ledger"] tbody tr[data-code]', (r) => r.length)).toBe(Number(total));
		await ledger.pdf({ path: 'test-results/renovation-ledger-a4.pdf', format: 'A4' });
		await desk.close();
	});

	it('shows a community’s projects, funds, covered households and flood spots in its area panel on the map', async () => {
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 900 } });
		await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-housing', password: 'demo' }, headers: { origin: app.server.url } });
		// The community with the most projects reaching into it, and what the API says of it.
		const { rows } = await app.t.db.knex.raw(`SELECT c.code, count(*)::int AS n FROM communities c JOIN renovation_projects p
			ON ST_Intersects(p.geom, c.geom) AND NOT ST_Touches(p.geom, c.geom) GROUP BY c.code ORDER BY n DESC, c.code LIMIT 1`);
		const api = await (await context.request.get(`${app.server.url}/api/areas/community/${rows[0].code}/overlays`)).json();
		expect(api.renovation.projects).toBe(rows[0].n);
		const page = await context.newPage();
		await page.goto(`${app.server.url}/?area=community:${rows[0].code}`);
		await page.waitForSelector('[data-testid="area-overlays"]');
		expect(await page.textContent('[data-testid="overlays-projects"]')).toMatch(new RegExp(`^${rows[0].n}（`));
		expect(await page.textContent('[data-testid="overlays-households"]')).toBe(api.renovation.households_covered.toLocaleString('zh-CN'));
		expect(await page.textContent('[data-testid="overlays-spots"]')).toMatch(new RegExp(`^${api.flood.spots}`));
		await context.close();
	});

	it('creates a project by picking two compounds on the map, then redraws it as one; what it covers follows', async () => {
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 900 } });
		await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-housing', password: 'demo' }, headers: { origin: app.server.url } });
		// Two neighbouring compounds no project covers yet, and a point inside each.
		const { rows } = await app.t.db.knex.raw(`
			SELECT k.code, ST_X(ST_PointOnSurface(k.geom)) AS lng, ST_Y(ST_PointOnSurface(k.geom)) AS lat FROM compounds k
			WHERE NOT EXISTS (SELECT 1 FROM renovation_projects p WHERE ST_Intersects(p.geom, k.geom)) ORDER BY k.code LIMIT 2`);
		expect(rows).toHaveLength(2);
		const page = await context.newPage();
		await page.goto(`${app.server.url}/renovation/new`);
		await hydrated(page);
		await page.waitForSelector('[data-testid="new-project-map"][data-ready="true"]');
		const box = (await page.$('[data-testid="new-project-map"]'))!.boundingBox();
		for (const r of rows) {
			await page.evaluate(([lng, lat]) => window.__map.jumpTo({ center: [lng, lat], zoom: 17 }), [Number(r.lng), Number(r.lat)]);
			await mapIdle(page);
			const b = (await box)!;
			await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
		}
		expect(await page.textContent('[data-testid="area-state"]')).toContain('已选 2 个小区');
		await page.fill('[data-testid="new-project-name"]', '两小区联片改造');
		await page.click('[data-testid="new-project-create"]');
		await page.waitForURL((url) => /^\/renovation\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
		const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
		const project = await (await context.request.get(`${app.server.url}/api/renovation/${encodeURIComponent(code)}`)).json();
		expect(project.covered_compounds.map((c: { code: string }) => c.code).sort()).toEqual(rows.map((r: { code: string }) => r.code).sort());
		expect(project.status).toBe('planned');

		// Its area changed on the map: the project is re-drawn as the first compound alone.
		await page.click('[data-testid="project-edit-area"]');
		await page.waitForSelector('[data-testid="new-project-map"][data-ready="true"]');
		await hydrated(page);
		await page.evaluate(([lng, lat]) => window.__map.jumpTo({ center: [lng, lat], zoom: 17 }), [Number(rows[0].lng), Number(rows[0].lat)]);
		await mapIdle(page);
		const b = (await box)!;
		await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
		await page.click('[data-testid="new-project-create"]');
		await page.waitForURL((url) => url.pathname === `/renovation/${code}`);
		const edited = await (await context.request.get(`${app.server.url}/api/renovation/${encodeURIComponent(code)}`)).json();
		expect(edited.covered_compounds.map((c: { code: string }) => c.code)).toEqual([rows[0].code]);
		expect(edited.history.map((h: { kind: string }) => h.kind)).toContain('edited');
		await context.close();
	});
});
