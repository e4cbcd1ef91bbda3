/**
 * The closed loop as its users walk it, in Chromium: a grid worker reports at the phone's
 * position; the community registers it and blows the whistle (吹哨) to the housing bureau;
 * the bureau acknowledges (报到) and resolves it; the community — not the resolver — verifies
 * and closes it. At every step the area panel's counts of the grid move by one status, and
 * the pages show the case where each user's work list says it is. Screenshots are kept in
 * test-results/cases-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { PAGE_DEFAULTS, hydrated, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

async function signedIn(username: string, options: object = {}): Promise<{ context: BrowserContext; page: Page }> {
	const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 900 }, ...options });
	const res = await context.request.post(`${app.server.url}/api/session`, { data: { username, password: 'demo' }, headers: { origin: app.server.url } });
	expect(res.status()).toBe(200);
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	(page as unknown as { errors: string[] }).errors = errors;
	return { context, page };
}

/** The grid's status counts as the area panel reads them. */
async function statusCounts(context: BrowserContext, grid: string): Promise<Record<string, number>> {
	const res = await context.request.get(`${app.server.url}/api/areas/grid/${grid}`);
	return (await res.json()).counts.by_status;
}

/** Open the case page and press an action, filling the note when given. */
async function act(page: Page, code: string, action: string, fill: (page: Page) => Promise<void> = async () => {}) {
	// Stay on the case page between one user's steps: it reloads its data itself after each
	// action, and every fresh visit draws its map again (software WebGL is most of this file's
	// CPU). Only a page someone else has moved on since is loaded again.
	if (new URL(page.url()).pathname !== `/cases/${code}` || !(await page.$(`[data-testid="case-action-${action}"]`))) {
		await page.goto(`${app.server.url}/cases/${code}`);
		await hydrated(page);
	}
	await page.click(`[data-testid="case-action-${action}"]`);
	await fill(page);
	await page.click('[data-testid="case-action-send"]');
	await page.waitForSelector(`[data-testid="case-status"][data-status="${action}"]`);
}

describe('the case loop in the browser', () => {
	it('goes from a phone report to closure, each step by its own user, and the area panel counts follow', async () => {
		const { rows } = await app.t.db.knex.raw(`
			SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g
			JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' ORDER BY g.code LIMIT 1`);
		const grid = rows[0].code as string;
		const position = { longitude: Number(rows[0].lng), latitude: Number(rows[0].lat) };
		const department = await app.t.db.knex('departments').join('users', 'users.department_id', 'departments.id').where('users.username', 'demo-department').first('departments.code');

		const planner = await signedIn('demo-planner');
		const counts = [await statusCounts(planner.context, grid)];
		const step = async () => counts.push(await statusCounts(planner.context, grid));

		// 1. The grid worker reports at the phone's position.
		const worker = await signedIn('demo-grid', { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, geolocation: position, permissions: ['geolocation'] });
		await worker.page.goto(`${app.server.url}/me`);
		await worker.page.waitForSelector('[data-testid="position"]');
		await hydrated(worker.page);
		await worker.page.tap('[data-testid="me-report"]');
		await worker.page.selectOption('[data-testid="report-category"]', 'parking');
		await worker.page.fill('[data-testid="report-description"]', '小区门口车辆乱停，消防通道被堵');
		await worker.page.waitForSelector('[data-testid="report-nearby"]');
		await worker.page.screenshot({ path: 'test-results/cases-1-phone-report.png', fullPage: true });
		await worker.page.tap('[data-testid="report-send"]');
		await worker.page.waitForSelector('[data-testid="me-reported"] a');
		const code = (await worker.page.textContent('[data-testid="me-reported"] a'))!.trim();
		const stored = await app.t.db.knex('issues').where({ code }).first(app.t.db.knex.raw('ST_X(geom) AS lng, ST_Y(geom) AS lat'), 'status', 'source');
		expect([Number(stored.lng), Number(stored.lat), stored.status, stored.source]).toEqual([position.longitude, position.latitude, 'reported', 'patrol']);
		await step();

		// 2. The community finds it in its list to register, registers it, and escalates it.
		const community = await signedIn('demo-community');
		await community.page.goto(`${app.server.url}/cases?list=register`);
		await community.page.waitForSelector(`[data-testid="work-item"][data-code="${code}"]`);
		await community.page.screenshot({ path: 'test-results/cases-2-register-list.png', fullPage: true });
		await act(community.page, code, 'registered');
		await step();
		await act(community.page, code, 'escalated', async (page) => {
			// The searchable picker (issue 21): type the department's code, Enter chooses it.
			await page.fill('[data-testid="escalate-search"]', department.code);
			await page.press('[data-testid="escalate-search"]', 'Enter');
			await page.fill('[data-testid="case-note"]', '社区吹哨：请住建局协调增设停车位');
		});
		await step();

		// 3. The department acknowledges (报到) from its list, then resolves it.
		const bureau = await signedIn('demo-department');
		await bureau.page.goto(`${app.server.url}/cases?list=acknowledge`);
		await bureau.page.waitForSelector(`[data-testid="work-item"][data-code="${code}"]`);
		await bureau.page.click(`[data-testid="work-item"][data-code="${code}"]`);
		await hydrated(bureau.page);
		await bureau.page.click('[data-testid="case-acknowledge"]');
		await bureau.page.waitForSelector('[data-testid="case-status"][data-status="in_progress"]');
		await step();
		await act(bureau.page, code, 'resolved', (page) => page.fill('[data-testid="case-note"]', '已划定临时停车位并清理通道'));
		// The resolver may not verify their own work.
		expect(await bureau.page.$('[data-testid="case-action-verified"]')).toBeNull();
		await step();

		// 4. Someone else verifies and closes it.
		await act(community.page, code, 'verified');
		await step();
		await act(community.page, code, 'closed');
		await step();
		await community.page.screenshot({ path: 'test-results/cases-3-closed.png', fullPage: true });
		const timeline = await community.page.$$eval('[data-testid="case-timeline"] li .what', (items) => items.map((i) => i.textContent));
		expect(timeline).toEqual(['已上报', '已立案', '已吹哨', '处置中', '已处置', '已核查', '已结案']);

		// The panel's counts moved one status at a time: the case left one and entered the next.
		const path = ['reported', 'registered', 'escalated', 'in_progress', 'resolved', 'verified', 'closed'];
		for (let k = 1; k < counts.length; k++) {
			const moved: Record<string, number> = {};
			for (const s of new Set([...Object.keys(counts[k]), ...Object.keys(counts[k - 1])])) {
				const d = (counts[k][s] ?? 0) - (counts[k - 1][s] ?? 0);
				if (d !== 0) moved[s] = d;
			}
			expect(moved, `step ${k}`).toEqual(k === 1 ? { reported: 1 } : { [path[k - 2]]: -1, [path[k - 1]]: 1 });
		}

		// The planner's map panel shows the grid's figures as the API gives them.
		await planner.page.goto(`${app.server.url}/?area=grid:${grid}`);
		await planner.page.waitForSelector('[data-testid="area-total"]');
		const total = Object.values(counts[counts.length - 1]).reduce((a, b) => a + b, 0);
		expect(await planner.page.textContent('[data-testid="area-total"]')).toBe(total.toLocaleString('zh-CN'));
		expect(await planner.page.textContent('[data-testid="counts-status"] li[data-code="closed"]')).toContain(String(counts[counts.length - 1].closed));
		await planner.page.screenshot({ path: 'test-results/cases-4-panel.png' });

		for (const u of [planner, worker, community, bureau]) {
			expect((u.page as unknown as { errors: string[] }).errors).toEqual([]);
			await u.context.close();
		}
	});

	it('reports from a click on the map, showing open cases of the same kind close by first', async () => {
		const { rows } = await app.t.db.knex.raw(`
			SELECT i.code, i.category, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat FROM issues i
			JOIN grids g ON ST_Covers(g.geom, i.geom)
			JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN users u ON u.person_id = a.person_id
			WHERE u.username = 'demo-grid' AND i.status IN ('reported', 'registered', 'dispatched', 'in_progress') ORDER BY i.code LIMIT 1`);
		const open = rows[0];
		const { page, context } = await signedIn('demo-grid');
		await page.goto(`${app.server.url}/`);
		await hydrated(page);
		// The map is made once its stylesheet is in, after hydration: wait for the page to say it is ready.
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		// Click the map at the open case's place: the panel offers a report there.
		const map = await page.$('.maplibregl-canvas');
		await page.evaluate(([lng, lat]) => {
			const m = (window as unknown as { __map?: { jumpTo(o: object): void } }).__map;
			m?.jumpTo({ center: [lng, lat], zoom: 18 });
		}, [Number(open.lng), Number(open.lat)]);
		const box = (await map!.boundingBox())!;
		await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
		await page.click('[data-testid="report-here"]');
		await page.selectOption('[data-testid="report-category"]', open.category);
		await page.waitForSelector(`[data-testid="report-nearby"] a[href="/cases/${open.code}"]`);
		await page.fill('[data-testid="report-description"]', '同一处问题再次发现');
		await page.click('[data-testid="report-send"]');
		await page.waitForSelector('[data-testid="reported"]');
		const text = await page.textContent('[data-testid="reported"]');
		const code = /C\d{8}/.exec(text ?? '')![0];
		const row = await app.t.db.knex('issues').where({ code }).first('category', 'status');
		expect(row).toEqual({ category: open.category, status: 'reported' });
		await context.close();
	});
});
