/**
 * The community admin's desk, point by point (issue 21): work-list filters on the API as on the
 * page (bad values refused by name), the 吹哨 picker by keyboard, /three-ones titled by whose
 * it is for each kind of reader, the 双报到 map of a department framed on its liaison
 * communities, and the work list on a phone keeping its map one tap away.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { PAGE_DEFAULTS, hydrated, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

async function session(username: string, viewport = { width: 1440, height: 900 }): Promise<BrowserContext> {
	const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport });
	const res = await context.request.post(`${app.server.url}/api/session`, { data: { username, password: 'demo' }, headers: { origin: app.server.url } });
	expect(res.status()).toBe(200);
	return context;
}

/** The demo community, its grids' inner points, and how many of its cases wait in a status. */
async function demoCommunity() {
	const knex = app.t.db.knex;
	const { rows } = await knex.raw(`
		SELECT c.code, c.name FROM communities c JOIN assignments a ON a.community_id = c.id AND a.role = 'community_secretary' AND a.valid_to IS NULL
		JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-community'`);
	const grids = (
		await knex.raw(`SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.code = :code ORDER BY g.code`, {
			code: rows[0].code
		})
	).rows;
	return { ...rows[0], grids } as { code: string; name: string; grids: { code: string; lng: number; lat: number }[] };
}

describe('work-list filters', () => {
	it('narrows GET /api/cases by grid, category, matter type and overdue, and refuses what cannot be a filter', async () => {
		const knex = app.t.db.knex;
		const community = await demoCommunity();
		const context = await session('demo-community');
		const report = async (grid: number, category: string, matter_type: string) => {
			const g = community.grids[grid];
			const res = await context.request.post(`${app.server.url}/api/cases`, {
				data: { category, matter_type, description: '来电反映', lng: Number(g.lng), lat: Number(g.lat) },
				headers: { origin: app.server.url }
			});
			expect(res.status()).toBe(201);
			return (await res.json()).code as string;
		};
		const a = await report(0, 'parking', 'practical');
		const b = await report(1, 'parking', 'urgent');
		const c = await report(1, 'noise', 'urgent');
		const list = async (query: string) => {
			const res = await context.request.get(`${app.server.url}/api/cases?list=register&${query}`);
			return { status: res.status(), body: await res.json() };
		};
		const codes = async (query: string) => {
			const { status, body } = await list(query);
			expect(status, query).toBe(200);
			expect(body.total, query).toBe(body.items.length);
			return (body.items as { code: string }[]).map((i) => i.code).sort();
		};
		expect(await codes(`grid=${community.grids[1].code}`)).toEqual([b, c].sort());
		expect(await codes(`grid=${community.grids[1].code}&category=parking`)).toEqual([b]);
		expect(await codes('matter_type=urgent')).toEqual([b, c].sort());
		expect(await codes(`grid=${community.grids[0].code}&matter_type=practical`)).toEqual([a]);
		expect(await codes('overdue=1')).toEqual([]);
		// The handle list's overdue cases are exactly those past their deadline.
		const handling = await context.request.get(`${app.server.url}/api/cases?list=handle&overdue=1`);
		const overdue = (await knex.raw(
			`SELECT i.code FROM issues i JOIN users u ON u.username = 'demo-community'
			 WHERE i.status IN ('dispatched', 'in_progress', 'returned') AND i.handler_kind = 'community'
				AND i.handler_community_id IN (SELECT a.community_id FROM assignments a WHERE a.person_id = u.person_id AND a.valid_to IS NULL AND a.role IN ('community_secretary', 'first_secretary'))
				AND i.due_at < now() ORDER BY i.code`
		)).rows.map((r: { code: string }) => r.code);
		expect(((await handling.json()).items as { code: string }[]).map((i) => i.code).sort()).toEqual(overdue);

		for (const [query, named] of [
			['grid=nope', "grid: no grid with code 'nope'"],
			['category=weather', "category: no ledger category 'weather'"],
			['matter_type=huge', 'matter_type'],
			['overdue=yes', 'overdue']
		]) {
			const { status, body } = await list(query);
			expect(status, query).toBe(400);
			expect(body.message, query).toContain(named);
		}
		// The page refuses them the same way, in its own error page.
		const page = await context.newPage();
		const res = await page.goto(`${app.server.url}/cases?list=register&grid=nope`);
		expect(res?.status()).toBe(400);
		await context.close();
	});
});

describe('the 吹哨 picker', () => {
	it('is searched by name or code and used from the keyboard; a liaison is marked, a choice can be taken back', async () => {
		const community = await demoCommunity();
		const context = await session('demo-community');
		const res = await context.request.post(`${app.server.url}/api/cases`, {
			data: { category: 'drainage', description: '雨水井堵塞', lng: Number(community.grids[0].lng), lat: Number(community.grids[0].lat) },
			headers: { origin: app.server.url }
		});
		const { code } = await res.json();
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
		await page.goto(`${app.server.url}/cases/${code}`);
		await hydrated(page);
		await page.click('[data-testid="case-action-registered"]');
		await page.click('[data-testid="case-action-send"]');
		await page.waitForSelector('[data-testid="case-status"][data-status="registered"]');
		await page.click('[data-testid="case-action-escalated"]');
		// Sending with nothing chosen is stopped before it leaves the page.
		await page.click('[data-testid="case-action-send"]');
		expect(await page.textContent('[data-testid="case-message"]')).toBe('请至少选择一个部门');

		const search = '[data-testid="escalate-search"]';
		await page.fill(search, 'd02');
		const shown = await page.$$eval('[data-testid="escalate-option"]', (els) => els.map((e) => e.getAttribute('data-code')));
		expect(shown).toEqual(['D027', 'D020', 'D021', 'D022', 'D023', 'D024', 'D025', 'D026', 'D028', 'D029']);
		// ↓ twice, Enter: the third shown (D021) is chosen; ↑, Enter: the second (D020) too.
		await page.press(search, 'ArrowDown');
		await page.press(search, 'ArrowDown');
		await page.press(search, 'Enter');
		await page.press(search, 'ArrowUp');
		await page.press(search, 'Enter');
		expect(await page.$$eval('[data-testid="escalate-chosen"] .chip', (els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['D021', 'D020']);
		expect(await page.getAttribute('[data-testid="escalate-option"][data-code="D020"]', 'aria-selected')).toBe('true');
		// Escape clears the search; a search that finds nothing says so.
		await page.press(search, 'Escape');
		expect(await page.inputValue(search)).toBe('');
		await page.fill(search, '不存在的局');
		expect(await page.textContent('[data-testid="escalate-none"]')).toBe('没有匹配“不存在的局”的部门');
		// A choice taken back with its ×.
		await page.click('[data-testid="escalate-chosen"] .chip[data-code="D021"] button');
		expect(await page.textContent('[data-testid="escalate-chosen"]')).toContain('已选 1 个部门');
		await page.fill(search, '');
		expect(await page.getAttribute('[data-testid="escalate-option"][data-code="D027"]', 'data-liaison')).toBe('liaison');
		await page.fill('[data-testid="case-note"]', '请水务与组织部协同');
		await page.click('[data-testid="case-action-send"]');
		await page.waitForSelector('[data-testid="case-status"][data-status="escalated"]');
		const escalated = (await app.t.db.knex.raw(`SELECT d.code FROM case_escalations e JOIN departments d ON d.id = e.department_id JOIN issues i ON i.id = e.issue_id WHERE i.code = :code`, { code })).rows;
		expect(escalated).toEqual([{ code: 'D020' }]);
		expect(errors).toEqual([]);
		await context.close();
	});
});

describe('whose pages', () => {
	it('titles /three-ones by whose table it is: the county, a department, a community', async () => {
		const community = await demoCommunity();
		for (const [username, heading] of [
			['demo-planner', '全县 · 三个一'],
			['demo-department', '县住建局联系社区 · 三个一'],
			['demo-community', `${community.name} · 三个一`]
		]) {
			const context = await session(username);
			const page = await context.newPage();
			await page.goto(`${app.server.url}/three-ones`);
			expect(await page.textContent('[data-testid="three-ones-heading"]'), username).toBe(heading);
			await context.close();
		}
	});

	it("frames a department's 双报到 map on its liaison communities, outlined", async () => {
		const knex = app.t.db.knex;
		const { rows } = await knex.raw(`
			SELECT array_agg(c.name ORDER BY c.code) AS names, ST_XMin(ST_Extent(c.geom)) AS w, ST_YMin(ST_Extent(c.geom)) AS s, ST_XMax(ST_Extent(c.geom)) AS e, ST_YMax(ST_Extent(c.geom)) AS n
			FROM community_liaisons l JOIN communities c ON c.id = l.community_id JOIN users u ON u.department_id = l.department_id WHERE u.username = 'demo-department'`);
		const { names, w, s, e, n } = rows[0];
		// Its own liaison community and the demo community it was linked to for the journey.
		expect(names).toHaveLength(2);
		expect(names).toContain('桂园林社区');
		const context = await session('demo-department');
		const page = await context.newPage();
		await page.goto(`${app.server.url}/dual-reporting`);
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		type W = { __map: { getSource(id: string): { serialize(): { data: { features: { properties: { name: string } }[] } } } | undefined; getBounds(): { toArray(): number[][] } } };
		await page.waitForFunction(() => ((window as unknown as W).__map.getSource('outline')?.serialize().data.features.length ?? 0) > 0);
		expect(await page.evaluate(() => (window as unknown as W).__map.getSource('outline')!.serialize().data.features.map((f) => f.properties.name))).toEqual(names);
		const [[bw, bs], [be, bn]] = await page.evaluate(() => (window as unknown as W).__map.getBounds().toArray());
		expect([bw <= Number(w), bs <= Number(s), be >= Number(e), bn >= Number(n)]).toEqual([true, true, true, true]);
		await page.screenshot({ path: 'test-results/community-desk-dual-department.png' });
		await context.close();
	});
});

describe('the work list on a phone', () => {
	it('keeps the map one tap away at 360 px, and loads no map before', async () => {
		const context = await session('demo-community', { width: 360, height: 740 });
		const page = await context.newPage();
		await page.goto(`${app.server.url}/cases?list=backlog`);
		await hydrated(page);
		expect(await page.$('[data-testid="work-map"]')).toBeNull();
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.click('text=显示地图');
		await page.waitForSelector('[data-testid="work-map"] [data-map-ready="true"]');
		// It opens where the button was, above the list, not below the last case.
		const map = (await page.locator('[data-testid="work-map"]').boundingBox())!;
		const list = (await page.locator('[data-testid="work-list"]').boundingBox())!;
		expect(map.y + map.height).toBeLessThanOrEqual(list.y);
		expect(map.y).toBeLessThan(740);
		await page.screenshot({ path: 'test-results/community-desk-phone.png', fullPage: true });
		await context.close();
	});
});
