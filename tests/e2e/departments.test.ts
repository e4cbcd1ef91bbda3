/**
 * The department page in a browser (issue 14, part 1): an admin adds a liaison community with
 * a reason, and it shows on the map (the page's GeoJSON source holds it) and in the history;
 * the department account's own page renders at 360 px without sideways scrolling.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

describe('department page', () => {
	it('an admin adds a liaison with a reason; it shows on the map and in the history', async () => {
		const { rows } = await app.t.db.knex.raw(`SELECT d.code, d.id FROM departments d JOIN users u ON u.department_id = d.id WHERE u.username = 'demo-department'`);
		const department = rows[0];
		const { rows: free } = await app.t.db.knex.raw(
			`SELECT c.code, c.name FROM communities c WHERE NOT EXISTS (SELECT 1 FROM community_liaisons l WHERE l.community_id = c.id AND l.department_id = :id) ORDER BY c.code LIMIT 1`,
			{ id: department.id }
		);
		const community = free[0];
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1200, height: 900 } })).newPage();
		await page.goto(`${app.server.url}/departments/${department.code}`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="liaison-form"]');
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await page.fill('[data-testid="liaison-form"] input[name="reason"]', '县委组织部调整联系社区');
		await page.selectOption('[data-testid="liaison-form"] select', community.code);
		await page.click('[data-testid="liaison-form"] button[type="submit"]');
		await page.waitForSelector(`[data-testid="department-communities"] li[data-code="${community.code}"]`);
		const history = await page.textContent('[data-testid="department-history"]');
		expect(history).toContain('新增联系');
		expect(history).toContain(community.name);
		expect(history).toContain('县委组织部调整联系社区');
		const onMap = await page.waitForFunction(
			(code) => {
				const map = (window as unknown as { __map: { getSource(id: string): { serialize(): { data: { features: { properties: { code: string } }[] } } } | undefined } }).__map;
				const data = map.getSource('liaison')?.serialize().data;
				return typeof data === 'object' && data.features.some((f) => f.properties.code === code);
			},
			community.code
		);
		expect(await onMap.jsonValue()).toBe(true);
		const { rows: stored } = await app.t.db.knex.raw(
			`SELECT h.action, h.reason, h.actor FROM community_liaison_history h JOIN communities c ON c.id = h.community_id WHERE h.department_id = :id AND c.code = :code`,
			{ id: department.id, code: community.code }
		);
		expect(stored).toEqual([{ action: 'added', reason: '县委组织部调整联系社区', actor: 'demo-admin' }]);
	});

	it('the department account sees its own page at 360 px', async () => {
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } })).newPage();
		await page.goto(`${app.server.url}/departments`);
		await signInThroughForm(page, 'demo-department');
		await page.waitForSelector('[data-testid="department-list"] a');
		expect(await page.locator('[data-testid="department-list"] a').count()).toBe(1);
		await page.click('[data-testid="department-list"] a');
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await page.waitForSelector('[data-testid="department-communities"] li[data-code]');
		// 三张清单 (issue 14, part 3): its resources by title, or 暂无
		const own = await app.t.db.knex('resources').join('users', 'users.department_id', 'resources.department_id').where('users.username', 'demo-department').orderBy('resources.title').first('resources.title');
		expect(await page.textContent('[data-testid="department-resources"]')).toContain(own ? own.title : '暂无');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.screenshot({ path: 'test-results/department-360.png', fullPage: true });
	});
});
