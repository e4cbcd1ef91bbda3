/**
 * The housing bureau's journey (issue 21), at 1440 px in Chinese: the renovation ledger with
 * its money in one unit (万元) in every table, its legend clear of the scale bar; filters, one
 * of which matches nothing and leaves the map where it was; a project's page with the date of
 * each lifecycle stage; a new project picked on a map that shows the community outlines and
 * the compounds' names. Figures against SQL; on every page no console error, headings in
 * order, text at WCAG AA contrast.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PAGE_DEFAULTS, hydrated, signInThroughForm, useBrowserApp } from '../helpers/browser.js';
import { headingSkips, lowContrastTexts, watchErrors } from '../helpers/page-checks.js';
import { chinaDay } from '../../src/lib/domain/work-calendar.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });
const STAGES = ['planned', 'approved', 'under_construction', 'completed', 'accepted'] as const;

declare global {
	interface Window {
		__map: import('maplibre-gl').Map;
	}
}

function mapIdle(page: Page) {
	return page.evaluate(
		() =>
			new Promise<void>((resolve) => {
				const map = window.__map;
				if (map.loaded() && !map.isMoving()) resolve();
				else map.once('idle', () => resolve());
			})
	);
}

/** Yuan as the ledger shows them: ¥10,000, two decimals. */
const wan = (yuan: number) => (yuan / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const MONEY = /^\d{1,3}(,\d{3})*\.\d{2}$/;

const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

async function pageChecks(page: Page) {
	expect(await headingSkips(page)).toEqual([]);
	expect(await lowContrastTexts(page)).toEqual([]);
}

describe('the housing bureau', () => {
	it('reads the ledger in one money unit, filters to nothing without losing the map, reads stage dates, and creates a project among named compounds', async () => {
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1440, height: 900 } });
		const page = await context.newPage();
		const errors = watchErrors(page);
		await page.goto(`${app.server.url}/login?next=/renovation`);
		await signInThroughForm(page, 'demo-housing');
		await page.waitForURL((url) => url.pathname === '/renovation');
		await hydrated(page);
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await mapIdle(page);

		// The ledger: every project, its money in 万元 and said so in every heading.
		const { rows: all } = await app.t.db.knex.raw(`SELECT code, budget_yuan::float8 AS budget, funds_secured_yuan::float8 AS secured, spent_yuan::float8 AS spent FROM renovation_projects ORDER BY code`);
		expect(all).toHaveLength(34);
		expect(await page.textContent('[data-testid="total-projects"]')).toBe('34');
		expect(await page.$$eval('[data-testid="ledger"] tbody tr[data-code]', (r) => r.length)).toBe(34);
		const headings = await page.$$eval('[data-testid="ledger"] thead th, [data-testid="totals"] span', (ths) => ths.map((th) => th.textContent?.trim() ?? ''));
		expect(headings.filter((h) => h.includes('万元'))).toEqual(['计划资金（万元）', '到位资金（万元）', '已支出（万元）', '计划资金（万元）', '到位资金（万元）', '已支出（万元）']);
		expect(headings.filter((h) => /\(元\)|（元）|÷/.test(h))).toEqual([]);
		const first = await page.$$eval(`[data-testid="ledger"] tr[data-code="${all[0].code}"] td.num`, (tds) => tds.slice(-3).map((td) => td.textContent?.trim()));
		expect(first).toEqual([wan(all[0].budget), wan(all[0].secured), wan(all[0].spent)]);
		const money = await page.$$eval('[data-testid="ledger"] tbody td.num, [data-testid="ledger"] tfoot td.num', (tds) => tds.map((td) => td.textContent?.trim() ?? ''));
		expect(money.filter((m) => MONEY.test(m))).toHaveLength(34 * 3 + 3);
		const budget = all.reduce((a: number, p: { budget: number }) => a + p.budget, 0);
		expect(await page.textContent('[data-testid="total-planned"]')).toBe(wan(budget));

		// The legend keeps clear of the scale bar.
		const legend = await page.$eval('[data-testid="renovation-legend"]', (e) => e.getBoundingClientRect().toJSON());
		const scale = await page.$eval('.maplibregl-ctrl-scale', (e) => e.getBoundingClientRect().toJSON());
		expect(overlaps(legend, scale)).toBe(false);
		await pageChecks(page);
		await page.screenshot({ path: 'test-results/journey-housing-ledger.png', fullPage: true });

		// 施工: the projects under construction, framed.
		const building = (await app.t.db.knex('renovation_projects').where({ status: 'under_construction' }).count<{ count: string }[]>('* as count'))[0].count;
		await page.selectOption('[data-testid="filter-status"]', 'under_construction');
		await page.waitForFunction((n) => document.querySelector('[data-testid="total-projects"]')?.textContent === String(n), Number(building));
		await mapIdle(page);
		const camera = () => page.evaluate(() => ({ center: window.__map.getCenter().toArray(), zoom: window.__map.getZoom() }));

		// 验收: the accepted projects, framed; then batch 2, which has none: nothing matches, and
		// the map stays where it was.
		const accepted = (await app.t.db.knex('renovation_projects').where({ status: 'accepted' }).count<{ count: string }[]>('* as count'))[0].count;
		const none = (await app.t.db.knex('renovation_projects').where({ status: 'accepted', batch: 2 }).count<{ count: string }[]>('* as count'))[0].count;
		expect(Number(none)).toBe(0);
		await page.selectOption('[data-testid="filter-status"]', 'accepted');
		await page.waitForFunction((n) => document.querySelector('[data-testid="total-projects"]')?.textContent === String(n), Number(accepted));
		await mapIdle(page);
		const framed = await camera();
		await page.getByLabel('批次').selectOption('2');
		await page.waitForFunction(() => document.querySelector('[data-testid="total-projects"]')?.textContent === '0');
		await mapIdle(page);
		expect(await camera()).toEqual(framed);
		expect(await page.textContent('[data-testid="ledger-none"]')).toBe('没有符合条件的项目，地图保持原位。');
		await page.screenshot({ path: 'test-results/journey-housing-filtered.png' });

		await page.getByLabel('批次').selectOption('');
		await page.waitForFunction((n) => document.querySelector('[data-testid="total-projects"]')?.textContent === String(n), Number(accepted));

		// A project's page: the day of each stage, money in one unit.
		const { rows: stageRows } = await app.t.db.knex.raw(
			`SELECT code, to_char(planned_on, 'YYYY-MM-DD') AS planned, to_char(approved_on, 'YYYY-MM-DD') AS approved, to_char(construction_on, 'YYYY-MM-DD') AS under_construction,
				to_char(completed_on, 'YYYY-MM-DD') AS completed, to_char(accepted_on, 'YYYY-MM-DD') AS accepted, budget_yuan::float8 AS budget
			 FROM renovation_projects WHERE status = 'accepted' ORDER BY code LIMIT 1`
		);
		const project = stageRows[0];
		for (const s of STAGES) expect(project[s], s).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		await page.click(`[data-testid="ledger"] a[href="/renovation/${project.code}"]`);
		await page.waitForURL((url) => url.pathname === `/renovation/${project.code}`);
		await page.waitForSelector('[data-testid="project-stages"]');
		await hydrated(page);
		const stages = await page.$$eval('[data-testid="project-stages"] li', (lis) => lis.map((li) => [li.getAttribute('data-stage'), li.textContent?.replace(/\s+/g, '')]));
		expect(stages).toEqual([
			['planned', `规划${project.planned}`],
			['approved', `立项${project.approved}`],
			['under_construction', `施工${project.under_construction}`],
			['completed', `完工${project.completed}`],
			['accepted', `验收${project.accepted}`]
		]);
		const fundHeads = await page.$$eval('[data-testid="project-funds"] thead th', (ths) => ths.map((th) => th.textContent?.trim()));
		expect(fundHeads).toEqual(['', '计划资金（万元）', '到位资金（万元）', '已支出（万元）']);
		expect(await page.$eval('[data-testid="project-funds"] tfoot td.num', (td) => td.textContent?.trim())).toBe(wan(project.budget));
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await pageChecks(page);
		await page.screenshot({ path: 'test-results/journey-housing-project.png', fullPage: true });

		// A new project, on a map with the community outlines and the compounds' names.
		await page.click('a.back');
		await page.waitForURL((url) => url.pathname === '/renovation');
		await hydrated(page);
		await page.click('[data-testid="new-project"]');
		await page.waitForURL((url) => url.pathname === '/renovation/new');
		await hydrated(page);
		await page.waitForSelector('[data-testid="new-project-map"][data-ready="true"]');
		await mapIdle(page);
		const drawn = await page.evaluate(() => ({
			communityLines: window.__map.queryRenderedFeatures({ layers: ['communities-line'] }).length,
			communityNames: [...new Set(window.__map.queryRenderedFeatures({ layers: ['communities-label'] }).map((f) => String(f.properties.name)))],
			compoundNames: [...new Set(window.__map.queryRenderedFeatures({ layers: ['compounds-label'] }).map((f) => String(f.properties.name)))]
		}));
		const communityNames = (await app.t.db.knex('communities').pluck('name')) as string[];
		const compoundNames = new Set((await app.t.db.knex('compounds').pluck('name')) as string[]);
		expect(drawn.communityLines).toBeGreaterThan(0);
		expect(drawn.communityNames.length).toBeGreaterThan(0);
		for (const n of drawn.communityNames) expect(communityNames).toContain(n);
		expect(drawn.compoundNames.length).toBeGreaterThanOrEqual(3);
		for (const n of drawn.compoundNames) expect(compoundNames.has(n), n).toBe(true);
		await pageChecks(page);
		await page.screenshot({ path: 'test-results/journey-housing-new.png' });

		const { rows: free } = await app.t.db.knex.raw(`
			SELECT k.code, k.name, ST_X(ST_PointOnSurface(k.geom)) AS lng, ST_Y(ST_PointOnSurface(k.geom)) AS lat FROM compounds k
			WHERE NOT EXISTS (SELECT 1 FROM renovation_projects p WHERE ST_Intersects(p.geom, k.geom)) ORDER BY k.code LIMIT 1`);
		await page.evaluate(([lng, lat]) => window.__map.jumpTo({ center: [lng, lat], zoom: 17 }), [Number(free[0].lng), Number(free[0].lat)]);
		await mapIdle(page);
		const named = await page.evaluate(() => window.__map.queryRenderedFeatures({ layers: ['compounds-label'] }).map((f) => String(f.properties.name)));
		expect(named).toContain(free[0].name);
		const box = (await page.$('[data-testid="new-project-map"]'))!.boundingBox();
		const b = (await box)!;
		await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
		expect(await page.textContent('[data-testid="area-state"]')).toContain('已选 1 个小区');
		await page.fill('[data-testid="new-project-name"]', `${free[0].name}改造`);
		await page.click('[data-testid="new-project-create"]');
		await page.waitForURL((url) => /^\/renovation\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
		await page.waitForSelector('[data-testid="project-stages"]');
		expect(await page.getAttribute('[data-testid="project-status"]', 'data-status')).toBe('planned');
		expect(await page.textContent('[data-testid="project-stages"] li[data-stage="planned"]')).toContain(chinaDay());
		expect(await page.textContent('[data-testid="project-stages"] li[data-stage="approved"]')).toContain('未到');
		const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
		const created = await app.t.db.knex('renovation_projects').where({ code }).first('name', 'status');
		expect(created).toEqual({ name: `${free[0].name}改造`, status: 'planned' });
		expect(errors).toEqual([]);
		await context.close();
	});
});
