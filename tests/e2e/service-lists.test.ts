/**
 * 三张清单 in a browser (issue 14, part 3): at 360 px, in Chinese, the three tabs list what the
 * tables hold for the caller; open demands are highlighted and their matching resources open
 * under them, liaison units first; the map holds every demand the list does; no sideways
 * scrolling. A community admin, at 360 px, offers a resource, records a demand at a point
 * clicked on the map, agrees a project matching it, and moves the project on to done — each
 * step landing in the tables.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

describe('/service-lists', () => {
	it('shows the three lists at 360 px, open demands highlighted, matches on demand', async () => {
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } })).newPage();
		await page.goto(`${app.server.url}/service-lists`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="resources"]');
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		const demands = Number((await app.t.db.knex('demands').count({ n: '*' }))[0].n);
		const onMap = await page.waitForFunction(
			(n) => {
				const map = (window as unknown as { __map: { getSource(id: string): { serialize(): { data: { features: unknown[] } } } | undefined } }).__map;
				return map.getSource('service-demands')?.serialize().data.features.length === n;
			},
			demands
		);
		expect(await onMap.jsonValue()).toBe(true);
		const resources = Number((await app.t.db.knex('resources').count({ n: '*' }))[0].n);
		expect(await page.locator('[data-testid="resources"] li').count()).toBe(resources);
		expect(await page.textContent('[data-testid="tab-resources"]')).toContain('资源清单');

		await page.click('[data-testid="tab-demands"]');
		await page.waitForSelector('[data-testid="demands"]');
		const open = Number((await app.t.db.knex('demands').where({ status: 'open' }).count({ n: '*' }))[0].n);
		expect(open).toBeGreaterThan(0);
		expect(await page.locator('[data-testid="demands"] li.unmatched').count()).toBe(open);
		expect(await page.textContent('[data-testid="demands"] .hint')).toContain(`待对接需求 ${open} 条`);
		await page.locator('[data-testid="demands"] li.unmatched button').first().click();
		await page.waitForSelector('[data-testid="demands"] ol.matches, [data-testid="demands"] li.unmatched .empty');

		await page.click('[data-testid="tab-projects"]');
		await page.waitForSelector('[data-testid="projects"]');
		const projects = Number((await app.t.db.knex('service_projects').count({ n: '*' }))[0].n);
		expect(await page.locator('[data-testid="projects"] progress').count()).toBe(projects);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.screenshot({ path: 'test-results/service-lists-360.png', fullPage: true });
	});

	it('a community admin adds a resource, a demand at a clicked point, agrees a project and finishes it', async () => {
		const knex = app.t.db.knex;
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } })).newPage();
		await page.goto(`${app.server.url}/service-lists`);
		await signInThroughForm(page, 'demo-community');
		await page.waitForSelector('[data-testid="resources"]');
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		const { rows } = await knex.raw(
			`SELECT c.id, c.code, ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat FROM communities c
			 WHERE c.id IN (SELECT a.community_id FROM assignments a JOIN users u ON u.person_id = a.person_id
				WHERE u.username = 'demo-community' AND a.valid_to IS NULL AND a.role IN ('community_secretary', 'first_secretary')) ORDER BY c.code LIMIT 1`
		);
		const mine = rows[0];

		await page.click('[data-testid="resources"] summary');
		await page.fill('[data-testid="resource-form"] input[name="title"]', '心理咨询进社区');
		await page.selectOption('[data-testid="resource-form"] select', 'health');
		await page.fill('[data-testid="resource-form"] input[name="unit_name"]', '县人民医院心理科');
		await page.click('[data-testid="resource-form"] button[type="submit"]');
		await page.waitForSelector('[data-testid="notice"]:has-text("已保存")');
		const resource = await knex('resources').where({ title: '心理咨询进社区' }).first();
		expect(resource).toMatchObject({ unit_name: '县人民医院心理科', category: 'health', community_id: mine.id });
		await page.locator('[data-testid="resources"] li', { hasText: '心理咨询进社区' }).waitFor();
		expect(await page.locator('[data-testid="resources"] li', { hasText: '心理咨询进社区' }).count()).toBe(1);

		await page.click('[data-testid="tab-demands"]');
		await page.click('[data-testid="demands"] summary');
		await page.locator('[data-testid="map"]').scrollIntoViewIfNeeded();
		const map = page.locator('[data-testid="map"]');
		await page.evaluate(([lng, lat]) => (window as unknown as { __map: { jumpTo(o: unknown): void } }).__map.jumpTo({ center: [lng, lat], zoom: 15 }), [Number(mine.lng), Number(mine.lat)]);
		const box = (await map.boundingBox())!;
		await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
		await page.waitForSelector('[data-testid="picked"]:has-text("位置")');
		await page.fill('[data-testid="demand-form"] input[name="title"]', '需要心理疏导');
		await page.click('[data-testid="demand-form"] button[type="submit"]');
		await page.waitForSelector('[data-testid="demands"] li:has-text("需要心理疏导")');
		const { rows: made } = await knex.raw(
			`SELECT d.id, d.status, d.community_id, ST_Distance(d.geom::geography, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography) AS metres FROM demands d WHERE d.title = '需要心理疏导'`,
			{ lng: Number(mine.lng), lat: Number(mine.lat) }
		);
		expect(made).toHaveLength(1);
		expect(made[0]).toMatchObject({ status: 'open', community_id: mine.id });
		// the click was at the map's centre: within a few metres of the point it was centred on
		expect(Number(made[0].metres)).toBeLessThan(10);

		const item = page.locator('[data-testid="demands"] li.unmatched', { hasText: '需要心理疏导' });
		await item.locator('button.link').first().click();
		await item.locator('[data-testid="agree"]').first().waitFor();
		await item.locator('li', { hasText: '心理咨询进社区' }).locator('[data-testid="agree"]').click();
		await expect.poll(async () => (await knex('service_projects').where({ demand_id: made[0].id })).length, { timeout: 10_000 }).toBe(1);
		expect(await page.textContent('[data-testid="notice"]')).toBe('已保存');
		const project = await knex('service_projects').where({ demand_id: made[0].id }).first();
		expect(project).toMatchObject({ resource_id: resource.id, status: 'planned', community_id: mine.id });
		expect((await knex('demands').where({ id: made[0].id }).first()).status).toBe('matched');

		await page.click('[data-testid="tab-projects"]');
		const row = page.locator('[data-testid="projects"] li', { hasText: '需要心理疏导' });
		await row.locator('input[type="number"]').fill('40');
		await row.locator('button', { hasText: '更新进度' }).click();
		await row.locator('text=40%').waitFor();
		expect(await knex('service_projects').where({ id: project.id }).first()).toMatchObject({ progress_pct: 40, status: 'in_progress' });
		await row.locator('[data-testid="finish"]').click();
		await row.locator('text=100%').waitFor();
		expect(await knex('service_projects').where({ id: project.id }).first()).toMatchObject({ progress_pct: 100, status: 'done' });
		expect((await knex('demands').where({ id: made[0].id }).first()).status).toBe('done');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
	});
});
