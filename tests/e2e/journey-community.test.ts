/**
 * The community admin's journey (issue 21), at 1440 px in Chinese, with a department and back
 * (社区吹哨·部门报到): reports wait in the work list, which sits beside a map of the same cases;
 * the admin narrows it by grid, category, overdue and 五事 type (the URL keeps them), finds a
 * case on the map, registers it and blows the whistle to a liaison department found by typing
 * in the picker; the department (demo-department, 县住建局) finds it in its list, acknowledges
 * (报到) and resolves it; the admin sees it back as 已处置, verifies and closes it. Then the
 * admin's other pages: 三个一 titled with the community's name, and the maps of 三张清单 and
 * 双报到 framed on the community's outline. No console error on the way. Screenshots:
 * test-results/journey-community-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { PAGE_DEFAULTS, hydrated, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });
const DESK = { width: 1440, height: 900 };

interface Desk {
	context: BrowserContext;
	page: Page;
	errors: string[];
}

async function signedIn(username: string): Promise<Desk> {
	const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: DESK });
	const res = await context.request.post(`${app.server.url}/api/session`, { data: { username, password: 'demo' }, headers: { origin: app.server.url } });
	expect(res.status()).toBe(200);
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
	});
	return { context, page, errors };
}

type MapWindow = {
	__map: {
		getSource(id: string): { serialize(): { data: { features: { properties: Record<string, unknown> }[] } } } | undefined;
		getFilter(id: string): unknown;
		getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
		project(p: [number, number]): { x: number; y: number };
		queryRenderedFeatures(o: { layers: string[] }): { properties: Record<string, unknown> }[];
		loaded(): boolean;
	};
};

/** The codes of the cases the work list's map holds, once it has drawn them. */
async function casesOnMap(page: Page, n: number): Promise<string[]> {
	await page.waitForSelector('[data-testid="work-map"] [data-map-ready="true"]');
	await page.waitForFunction((count) => {
		const map = (window as unknown as MapWindow).__map;
		return map.getSource('work-cases')?.serialize().data.features.length === count && map.queryRenderedFeatures({ layers: ['work-cases-circle'] }).length >= Math.min(count, 1);
	}, n);
	return page.evaluate(() => ((window as unknown as MapWindow).__map.getSource('work-cases')!.serialize().data.features.map((f) => f.properties.code as string)).sort());
}

/** The codes the list shows, in order. */
const listed = (page: Page) => page.$$eval('[data-testid="work-item"]', (items) => items.map((i) => i.getAttribute('data-code')!));

/** Waits for the list to show exactly `codes` (any order) after a filter changed. */
async function listShows(page: Page, codes: string[]) {
	await page.waitForFunction(
		(want) => {
			const got = [...document.querySelectorAll('[data-testid="work-item"]')].map((i) => i.getAttribute('data-code')).sort();
			return JSON.stringify(got) === JSON.stringify(want);
		},
		[...codes].sort()
	);
}

/** Which share of the map's view the area's bounding box spans, across and down. */
async function framing(page: Page, bbox: [number, number, number, number]): Promise<{ contains: boolean; across: number; down: number }> {
	return page.evaluate(([w, s, e, n]) => {
		const b = (window as unknown as MapWindow).__map.getBounds();
		const contains = b.getWest() <= w + 1e-9 && b.getSouth() <= s + 1e-9 && b.getEast() >= e - 1e-9 && b.getNorth() >= n - 1e-9;
		return { contains, across: (e - w) / (b.getEast() - b.getWest()), down: (n - s) / (b.getNorth() - b.getSouth()) };
	}, bbox);
}

async function act(page: Page, action: string, note?: string) {
	await page.click(`[data-testid="case-action-${action}"]`);
	if (note) await page.fill('[data-testid="case-note"]', note);
	await page.click('[data-testid="case-action-send"]');
	await page.waitForSelector(`[data-testid="case-status"][data-status="${action}"]`);
}

describe('the community admin, with a department and back, at 1440 px', () => {
	it('filters the work list with its map, escalates to a liaison found by search, gets it back and closes it; its other pages are its own', async () => {
		const knex = app.t.db.knex;
		const community = (
			await knex.raw(`
			SELECT c.code, c.name, ST_XMin(c.geom) AS w, ST_YMin(c.geom) AS s, ST_XMax(c.geom) AS e, ST_YMax(c.geom) AS n FROM communities c
			JOIN assignments a ON a.community_id = c.id AND a.role = 'community_secretary' AND a.valid_to IS NULL
			JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-community'`)
		).rows[0];
		const bbox: [number, number, number, number] = [community.w, community.s, community.e, community.n].map(Number) as [number, number, number, number];
		const grids = (
			await knex.raw(
				`SELECT g.code, g.name, ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g
				 JOIN communities c ON c.id = g.community_id WHERE c.code = :code ORDER BY g.code LIMIT 3`,
				{ code: community.code }
			)
		).rows;
		// Three places in grid 2 apart from each other: the anchors of three of its buildings.
		const spots = (
			await knex.raw(`SELECT ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE g.code = :grid ORDER BY b.code LIMIT 3`, { grid: grids[1].code })
		).rows.map((r: { lng: string; lat: string }) => [Number(r.lng), Number(r.lat)]);
		expect(spots).toHaveLength(3);
		const bureau = await knex('departments').join('users', 'users.department_id', 'departments.id').where('users.username', 'demo-department').first('departments.code', 'departments.name');
		expect(bureau.name).toBe('县住建局');
		const liaisons = (
			await knex.raw(
				`SELECT d.code, l.is_lead FROM community_liaisons l JOIN departments d ON d.id = l.department_id JOIN communities c ON c.id = l.community_id
				 WHERE c.code = :code ORDER BY l.is_lead DESC, d.code`,
				{ code: community.code }
			)
		).rows as { code: string; is_lead: boolean }[];
		expect(liaisons.map((l) => l.code)).toContain(bureau.code);
		const waiting = Number((await knex.raw(`SELECT count(*) AS n FROM issues i, communities c WHERE c.code = :code AND ST_Covers(c.geom, i.geom) AND i.status = 'reported'`, { code: community.code })).rows[0].n);

		// This morning's reports, entered by the community from calls: one in grid 1, three in grid 2
		// (one of them from three weeks ago, now overdue), one in grid 3.
		const admin = await signedIn('demo-community');
		const report = async (at: [number, number], category: string, matter: string, title: string, daysAgo = 0) => {
			const body: Record<string, unknown> = { category, matter_type: matter, title, description: `${title}，居民来电反映`, lng: at[0], lat: at[1] };
			if (daysAgo) body.reported_at = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
			const res = await admin.context.request.post(`${app.server.url}/api/cases`, { data: body, headers: { origin: app.server.url } });
			expect(res.status(), await res.text()).toBe(201);
			return (await res.json()).code as string;
		};
		const centre = (g: { lng: string; lat: string }): [number, number] => [Number(g.lng), Number(g.lat)];
		const parked = await report(centre(grids[0]), 'parking', 'practical', '小区门口车辆乱停');
		const blocked = await report(spots[0], 'parking', 'urgent', '消防通道被车辆堵塞');
		const quarrel = await report(spots[1], 'dispute', 'important', '楼上楼下漏水纠纷', 21);
		const tree = await report(spots[2], 'greenery', 'practical', '行道树枯枝悬挂');
		const litter = await report(centre(grids[2]), 'environment', 'practical', '垃圾桶满溢');
		const mine = [parked, blocked, quarrel, tree, litter];

		// 1. The work list: the list on the left, a map of the same cases beside it.
		const { page } = admin;
		await page.goto(`${app.server.url}/cases?list=register`);
		await hydrated(page);
		expect(await page.textContent('[data-testid="list-register"]')).toContain(String(waiting + 5));
		expect(await page.textContent('[data-testid="work-shown"]')).toContain(`共 ${waiting + 5} 件`);
		expect(await casesOnMap(page, waiting + 5)).toEqual((await listed(page)).sort());
		expect(await listed(page)).toEqual(expect.arrayContaining(mine));
		const side = (await page.locator('[data-testid="work-list"]').boundingBox())!;
		const map = (await page.locator('[data-testid="work-map"] [data-testid="map"]').boundingBox())!;
		expect(side.x + side.width).toBeLessThanOrEqual(map.x);
		expect(map.width).toBeGreaterThan(700);
		// The map frames the community, its outline drawn.
		const outline = await page.evaluate(() => (window as unknown as MapWindow).__map.getSource('outline')!.serialize().data.features.map((f) => f.properties.name));
		expect(outline).toEqual([community.name]);
		const framed = await framing(page, bbox);
		expect(framed.contains).toBe(true);
		expect(Math.max(framed.across, framed.down)).toBeGreaterThan(0.6);
		await page.screenshot({ path: 'test-results/journey-community-1-work-list.png' });

		// 2. Narrowed to grid 2: three cases, the URL says so, the map holds the same three.
		await page.selectOption('[data-testid="filter-grid"]', grids[1].code);
		await listShows(page, [blocked, quarrel, tree]);
		expect(new URL(page.url()).searchParams.get('grid')).toBe(grids[1].code);
		expect(await page.textContent('[data-testid="work-shown"]')).toContain(`筛选出 3 件，本列表共 ${waiting + 5} 件`);
		expect(await casesOnMap(page, 3)).toEqual([blocked, quarrel, tree].sort());
		// … and to parking: one; then overdue instead: the dispute of three weeks ago.
		await page.selectOption('[data-testid="filter-category"]', 'parking');
		await listShows(page, [blocked]);
		await page.selectOption('[data-testid="filter-category"]', '');
		await listShows(page, [blocked, quarrel, tree]);
		await page.check('[data-testid="filter-overdue"]');
		await listShows(page, [quarrel]);
		expect(await page.textContent(`[data-testid="work-item"][data-code="${quarrel}"]`)).toContain('已超期');
		await page.uncheck('[data-testid="filter-overdue"]');
		// 五事 type 急事 in grid 2: the blocked fire lane. A reload keeps the filters (they are in the URL).
		await page.selectOption('[data-testid="filter-matter"]', 'urgent');
		await listShows(page, [blocked]);
		await page.reload();
		await hydrated(page);
		await listShows(page, [blocked]);
		expect(await page.inputValue('[data-testid="filter-matter"]')).toBe('urgent');
		expect(await page.inputValue('[data-testid="filter-grid"]')).toBe(grids[1].code);
		await page.click('[data-testid="filter-clear"]');
		await page.waitForFunction((n) => document.querySelectorAll('[data-testid="work-item"]').length === n, waiting + 5);
		expect(new URL(page.url()).searchParams.get('grid')).toBeNull();
		await page.selectOption('[data-testid="filter-grid"]', grids[1].code);
		await listShows(page, [blocked, quarrel, tree]);

		// 3. A click on a case's dot chooses it in the list; a hover in the list rings it on the map.
		// Close in on the dot first: at the community's frame neighbouring dots may overlap.
		await casesOnMap(page, 3);
		await page.evaluate((at) => (window as unknown as { __map: { jumpTo(o: object): void } }).__map.jumpTo({ center: at, zoom: 18 }), spots[0]);
		await page.waitForFunction(() => (window as unknown as MapWindow).__map.queryRenderedFeatures({ layers: ['work-cases-circle'] }).length > 0);
		const canvas = (await page.locator('[data-testid="work-map"] canvas').boundingBox())!;
		const at = await page.evaluate(
			(code) => {
				const map = (window as unknown as MapWindow).__map;
				const f = map.getSource('work-cases')!.serialize().data.features.find((x) => x.properties.code === code) as unknown as { geometry: { coordinates: [number, number] } };
				return map.project(f.geometry.coordinates);
			},
			blocked
		);
		await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
		await page.waitForSelector(`[data-testid="work-item"][data-code="${blocked}"][data-selected="true"]`);
		expect(await page.$$('[data-testid="work-item"][data-selected="true"]')).toHaveLength(1);
		await page.hover(`[data-testid="work-item"][data-code="${quarrel}"]`);
		await page.waitForFunction((code) => JSON.stringify((window as unknown as MapWindow).__map.getFilter('work-cases-selected')).includes(code), quarrel);
		await page.screenshot({ path: 'test-results/journey-community-2-filtered.png' });

		// 4. The blocked fire lane: registered, then 吹哨 to the housing bureau, found by typing.
		await page.click(`[data-testid="work-item"][data-code="${blocked}"]`);
		await page.waitForURL(`**/cases/${blocked}`);
		await hydrated(page);
		await act(page, 'registered');
		await page.click('[data-testid="case-action-escalated"]');
		const options = await page.$$eval('[data-testid="escalate-option"]', (els) => els.map((e) => ({ code: e.getAttribute('data-code'), liaison: e.getAttribute('data-liaison') })));
		// The community's liaison departments come first, the lead unit at the top; then the other 72.
		const total = Number((await knex('departments').count({ n: '*' }))[0].n);
		expect(options).toHaveLength(total);
		expect(options.slice(0, liaisons.length).map((o) => o.code).sort()).toEqual(liaisons.map((l) => l.code).sort());
		expect(options[0]).toEqual({ code: liaisons[0].code, liaison: 'lead' });
		expect(options.slice(liaisons.length).every((o) => o.liaison === null)).toBe(true);
		expect(await page.textContent('[data-testid="escalate-group-liaisons"]')).toContain('本社区联系单位');
		expect(await page.textContent('[data-testid="escalate-group-liaisons"]')).toContain('牵头单位');
		await page.fill('[data-testid="escalate-search"]', '住建');
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="escalate-option"]').length === 1);
		expect(await page.textContent('[data-testid="escalate-option"]')).toContain('县住建局');
		expect(await page.textContent('[data-testid="escalate-option"]')).toContain('联系单位');
		await page.press('[data-testid="escalate-search"]', 'Enter');
		expect(await page.textContent('[data-testid="escalate-chosen"]')).toContain('已选 1 个部门');
		expect(await page.textContent('[data-testid="escalate-chosen"]')).toContain('县住建局');
		await page.fill('[data-testid="case-note"]', '社区吹哨：消防通道长期被占，请住建局协调物业划线');
		await page.screenshot({ path: 'test-results/journey-community-3-whistle.png', fullPage: true });
		await page.click('[data-testid="case-action-send"]');
		await page.waitForSelector('[data-testid="case-status"][data-status="escalated"]');
		expect(await page.textContent('[data-testid="case-escalations"]')).toContain('县住建局');
		expect(await page.textContent('[data-testid="case-escalations"]')).toContain('未报到');

		// 5. The department finds it in its list to acknowledge, acknowledges (报到) and resolves it.
		const department = await signedIn('demo-department');
		await department.page.goto(`${app.server.url}/cases?list=acknowledge`);
		await hydrated(department.page);
		await department.page.waitForSelector(`[data-testid="work-item"][data-code="${blocked}"]`);
		expect(await department.page.textContent(`[data-testid="work-item"][data-code="${blocked}"]`)).toContain('已吹哨');
		await department.page.screenshot({ path: 'test-results/journey-community-4-department-list.png' });
		await department.page.click(`[data-testid="work-item"][data-code="${blocked}"]`);
		await department.page.waitForURL(`**/cases/${blocked}`);
		await hydrated(department.page);
		await department.page.click('[data-testid="case-acknowledge"]');
		await department.page.waitForSelector('[data-testid="case-status"][data-status="in_progress"]');
		expect(await department.page.textContent('[data-testid="case-escalations"]')).toContain('已报到');
		await act(department.page, 'resolved', '已协调物业施划禁停标线并清理车辆');
		await department.page.goto(`${app.server.url}/cases?list=acknowledge`);
		await hydrated(department.page);
		expect(await department.page.$(`[data-testid="work-item"][data-code="${blocked}"]`)).toBeNull();

		// 6. Back at the community: the case waits for verification as 已处置; verified and closed.
		await page.goto(`${app.server.url}/cases?list=verify`);
		await hydrated(page);
		await page.waitForSelector(`[data-testid="work-item"][data-code="${blocked}"]`);
		expect(await page.textContent(`[data-testid="work-item"][data-code="${blocked}"]`)).toContain('已处置');
		await page.click(`[data-testid="work-item"][data-code="${blocked}"]`);
		await page.waitForURL(`**/cases/${blocked}`);
		await hydrated(page);
		await act(page, 'verified');
		await act(page, 'closed');
		const timeline = await page.$$eval('[data-testid="case-timeline"] li .what', (items) => items.map((i) => i.textContent));
		expect(timeline).toEqual(['已上报', '已立案', '已吹哨', '处置中', '已处置', '已核查', '已结案']);
		expect(await knex('issues').where({ code: blocked }).first('status', 'handler_kind')).toEqual({ status: 'closed', handler_kind: 'department' });
		await page.screenshot({ path: 'test-results/journey-community-5-closed.png', fullPage: true });

		// 7. 三个一: titled with whose it is, one row — the community's own.
		await page.goto(`${app.server.url}/three-ones`);
		await hydrated(page);
		expect(await page.textContent('[data-testid="three-ones-heading"]')).toBe(`${community.name} · 三个一`);
		expect(await page.title()).toContain(`${community.name} · 三个一`);
		expect(await page.$$eval('[data-testid="three-ones-table"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-code')))).toEqual([community.code]);

		// 8. 三张清单 and 双报到: each map framed on the community with its outline and name.
		for (const [path, shot] of [['/service-lists', 'service-lists'], ['/dual-reporting', 'dual-reporting']]) {
			await page.goto(`${app.server.url}${path}`);
			await hydrated(page);
			await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
			await page.waitForFunction(() => ((window as unknown as MapWindow).__map.queryRenderedFeatures({ layers: ['outline-line'] }).length ?? 0) > 0);
			const names = await page.evaluate(() => (window as unknown as MapWindow).__map.getSource('outline')!.serialize().data.features.map((f) => f.properties.name));
			expect(names, path).toEqual([community.name]);
			const f = await framing(page, bbox);
			expect(f.contains, path).toBe(true);
			expect(Math.max(f.across, f.down), path).toBeGreaterThan(0.6);
			await page.waitForFunction(() => (window as unknown as MapWindow).__map.queryRenderedFeatures({ layers: ['outline-label'] }).length > 0);
			await page.screenshot({ path: `test-results/journey-community-6-${shot}.png` });
		}

		expect(admin.errors).toEqual([]);
		expect(department.errors).toEqual([]);
		await admin.context.close();
		await department.context.close();
	});
});
