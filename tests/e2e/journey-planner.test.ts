/**
 * The county planner's journey (issue 21), at 1440 px in Chinese: signs in on the map, clicks
 * a community and finds it whole in the part of the map the side panel leaves free, reads its
 * issues, lays a choropleth over the heat map (two palettes that cannot be confused), then
 * opens /dashboard and finds every community in its chart and the case figures beside the
 * meeting figures — each figure equal to an independent SQL count. On every page: no console
 * error, headings in order, text at WCAG AA contrast. Also: a community opened on a phone sits
 * between the toolbar and the bottom sheet, and the manifest offers a maskable icon.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { PAGE_DEFAULTS, hydrated, signInThroughForm, useBrowserApp } from '../helpers/browser.js';
import { headingSkips, lowContrastTexts, watchErrors } from '../helpers/page-checks.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });
const GUIYUANLIN = '510522100006'; // 桂园林社区, named in the seed
const MATTER_TYPES = ['major', 'practical', 'important', 'urgent', 'difficult'];
const WATER = '县水务局';

type Box = { left: number; top: number; right: number; bottom: number };

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

/** The community's name, a point inside it, its bounding box and the issues in it, from SQL. */
async function community(code: string) {
	const { rows } = await app.t.db.knex.raw(
		`SELECT c.name, ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat,
			ST_XMin(c.geom) AS w, ST_YMin(c.geom) AS s, ST_XMax(c.geom) AS e, ST_YMax(c.geom) AS n,
			(SELECT count(*)::int FROM issues i WHERE ST_Covers(c.geom, i.geom)) AS total
		 FROM communities c WHERE c.code = :code`,
		{ code }
	);
	const r = rows[0];
	return {
		name: r.name as string,
		point: [Number(r.lng), Number(r.lat)] as [number, number],
		bbox: [Number(r.w), Number(r.s), Number(r.e), Number(r.n)],
		total: r.total as number
	};
}

/** The bounding box of the area on screen (page pixels). */
async function projectedBox(page: Page, bbox: number[]): Promise<Box> {
	return page.evaluate((b) => {
		const map = window.__map;
		const frame = map.getContainer().getBoundingClientRect();
		const sw = map.project([b[0], b[1]]);
		const ne = map.project([b[2], b[3]]);
		return { left: frame.left + sw.x, bottom: frame.top + sw.y, right: frame.left + ne.x, top: frame.top + ne.y };
	}, bbox);
}

const rectOf = (page: Page, selector: string): Promise<Box> =>
	page.$eval(selector, (e) => {
		const r = e.getBoundingClientRect();
		return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
	});

/** Hue in degrees of #rrggbb or rgba(…). */
function hue(color: string): number {
	const n = color.startsWith('#') ? [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) : (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
	const [r, g, b] = n.map((v) => v / 255);
	const max = Math.max(r, g, b);
	const d = max - Math.min(r, g, b);
	if (d === 0) return 0;
	const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
	return (h * 60 + 360) % 360;
}
const hueGap = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
/** Every colour string inside a MapLibre expression. */
const colorsIn = (expression: unknown): string[] => JSON.stringify(expression).match(/#[0-9a-f]{6}|rgba?\([^)]*\)/gi) ?? [];

beforeAll(async () => {
	// 社区吹哨、部门报到 this year: three cases escalated to the water bureau — acknowledged within
	// the limit, after it, and not yet (not yet due) — and one to the housing bureau, on time.
	const h = 3600_000;
	const now = Date.now();
	const issues = (await app.t.db.knex.raw(`SELECT id FROM issues WHERE reported_at >= '2026-01-01T00:00:00+08:00' ORDER BY code LIMIT 4`)).rows as { id: number }[];
	const water = await app.t.db.knex('departments').where({ name: WATER }).first('id');
	const housing = await app.t.db.knex('departments').where({ name: '县住建局' }).first('id');
	await app.t.db.knex('case_escalations').insert([
		{ issue_id: issues[0].id, department_id: water.id, escalated_at: new Date(now - 48 * h), ack_due_at: new Date(now - 40 * h), acknowledged_at: new Date(now - 44 * h) },
		{ issue_id: issues[1].id, department_id: water.id, escalated_at: new Date(now - 48 * h), ack_due_at: new Date(now - 40 * h), acknowledged_at: new Date(now - 30 * h) },
		{ issue_id: issues[2].id, department_id: water.id, escalated_at: new Date(now - 2 * h), ack_due_at: new Date(now + 6 * h) },
		{ issue_id: issues[3].id, department_id: housing.id, escalated_at: new Date(now - 30 * h), ack_due_at: new Date(now - 22 * h), acknowledged_at: new Date(now - 29 * h) }
	]);
});

describe('the county planner', () => {
	it('clicks a community and sees it beside the panel, switches heat map and choropleth, and reads every community and the case figures on /dashboard', async () => {
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1440, height: 900 } });
		const page = await context.newPage();
		const errors = watchErrors(page);
		await page.goto(`${app.server.url}/login?next=/`);
		await signInThroughForm(page, 'demo-planner');
		await page.waitForURL(`${app.server.url}/`);
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await hydrated(page);
		await mapIdle(page);
		expect(await headingSkips(page)).toEqual([]);
		expect(await lowContrastTexts(page)).toEqual([]);

		// 桂园林 lies where the side panel will open: right of the middle of the screen.
		const guiyuanlin = await community(GUIYUANLIN);
		await page.evaluate((p) => {
			const map = window.__map;
			map.jumpTo({ zoom: 14 });
			const at = map.project(p as [number, number]);
			map.jumpTo({ center: map.unproject([at.x - 520, at.y]) });
		}, guiyuanlin.point);
		await mapIdle(page);
		const spot = await page.evaluate((p) => {
			const map = window.__map;
			const frame = map.getCanvas().getBoundingClientRect();
			const at = map.project(p as [number, number]);
			return { x: frame.left + at.x, y: frame.top + at.y };
		}, guiyuanlin.point);
		expect(spot.x).toBeGreaterThan(1100);
		await page.mouse.click(spot.x, spot.y);
		await page.waitForFunction((name) => document.querySelector('[data-testid="area-name"]')?.textContent === name, guiyuanlin.name);
		await mapIdle(page);

		// The whole community in the free part: right of the toolbar column, left of the panel.
		const area = await projectedBox(page, guiyuanlin.bbox);
		const panel = await rectOf(page, '[data-testid="area-panel"]');
		const column = await rectOf(page, '.left');
		const frame = await rectOf(page, '[data-testid="map"]');
		expect(area.left).toBeGreaterThanOrEqual(column.right);
		expect(area.right).toBeLessThanOrEqual(panel.left);
		expect(area.top).toBeGreaterThanOrEqual(frame.top);
		expect(area.bottom).toBeLessThanOrEqual(frame.bottom);
		// Fitted, not merely visible: it spans most of the free width or height.
		const free = { width: panel.left - column.right, height: frame.bottom - frame.top };
		expect(Math.max((area.right - area.left) / free.width, (area.bottom - area.top) / free.height)).toBeGreaterThan(0.6);

		// Its issues, as SQL counts them; the list shows them.
		expect(await page.textContent('[data-testid="area-level"]')).toBe('社区');
		expect(Number((await page.textContent('[data-testid="area-total"]'))!.replace(/\D/g, ''))).toBe(guiyuanlin.total);
		await page.locator('[data-testid="issue-item"]').first().waitFor();
		expect(await page.textContent('[data-testid="area-panel"]')).toContain('问题');
		expect(await headingSkips(page)).toEqual([]);
		expect(await lowContrastTexts(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/journey-planner-area.png' });

		// Heat map and choropleth together, in palettes far apart in hue.
		await page.evaluate(() => window.__map.jumpTo({ zoom: 13 }));
		await page.selectOption('[data-testid="choropleth-metric"]', 'issues_per_100_households');
		await page.selectOption('[data-testid="choropleth-level"]', 'community');
		await page.waitForSelector('[data-testid="choropleth-legend"]');
		await page.waitForFunction(() => window.__map.getLayer('choropleth-fill') !== undefined);
		await mapIdle(page);
		const paints = await page.evaluate(() => ({
			choropleth: window.__map.getPaintProperty('choropleth-fill', 'fill-color'),
			heat: window.__map.getPaintProperty('issues-heat', 'heatmap-color'),
			heatVisible: window.__map.getLayoutProperty('issues-heat', 'visibility')
		}));
		expect(paints.heatVisible).not.toBe('none');
		const classColors = colorsIn(paints.choropleth).filter((c) => !/rgba\(0,\s*0,\s*0,\s*0\)/.test(c));
		const heatColors = colorsIn(paints.heat).filter((c) => !/,\s*0\)$/.test(c));
		expect(classColors.length).toBeGreaterThanOrEqual(2);
		expect(heatColors.length).toBeGreaterThanOrEqual(3);
		for (const c of classColors) for (const h of heatColors) expect(hueGap(hue(c), hue(h)), `${c} vs ${h}`).toBeGreaterThanOrEqual(90);
		// The legend draws the classes the map draws.
		const legend = await page.$$eval('[data-testid="choropleth-legend"] li', (lis) => lis.map((li) => li.textContent?.trim()));
		expect(legend.length).toBe(classColors.length + 1);
		expect(legend.at(-1)).toBe('无数据');
		expect(await lowContrastTexts(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/journey-planner-choropleth.png' });

		// The dashboard, from the user's chip.
		await page.click('[data-testid="dashboard-link"]');
		await page.waitForURL((url) => url.pathname === '/dashboard');
		await page.waitForSelector('[data-testid="case-figures"]');
		await hydrated(page);
		const period = { from: await page.inputValue('[data-testid="from"]'), to: await page.inputValue('[data-testid="to"]') };
		const names = (await app.t.db.knex('communities').orderBy('code').pluck('name')) as string[];
		expect(names).toHaveLength(13);
		const charted = (await page.getAttribute('[data-testid="chart-community"]', 'data-labels'))!.split(',');
		expect(charted.sort()).toEqual([...names].sort());
		const values = (await page.getAttribute('[data-testid="chart-community"]', 'data-values'))!.split(',').map(Number);
		expect(values.reduce((a, b) => a + b, 0)).toBe(Number(await page.getAttribute('[data-testid="figure-opinions"]', 'data-value')));

		// Case figures of the period, against SQL over the tables.
		const bounds = { from: `${period.from}T00:00:00+08:00`, to: `${period.to}T23:59:59.999+08:00` };
		const { rows } = await app.t.db.knex.raw(
			`SELECT count(*)::int AS reported,
				(count(*) FILTER (WHERE c.at IS NOT NULL AND (i.due_at IS NULL OR c.at <= i.due_at)))::int AS on_time,
				(count(*) FILTER (WHERE c.at IS NOT NULL))::int AS closed,
				(count(*) FILTER (WHERE i.due_at < now() AND i.status NOT IN ('resolved', 'verified', 'closed', 'rejected')))::int AS overdue
			 FROM issues i LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM issue_events e WHERE e.issue_id = i.id AND e.to_status = 'closed') c ON true
			 WHERE i.reported_at BETWEEN :from AND :to`,
			bounds
		);
		const want = rows[0];
		expect(want.reported).toBeGreaterThan(100);
		expect(Number(await page.getAttribute('[data-testid="case-reported"]', 'data-value'))).toBe(want.reported);
		expect(Number(await page.getAttribute('[data-testid="case-closed-on-time"]', 'data-value'))).toBe(want.on_time);
		expect(Number(await page.getAttribute('[data-testid="case-overdue"]', 'data-value'))).toBe(want.overdue);
		expect(await page.textContent('[data-testid="case-reported"]')).toContain('上报案件');
		expect(await page.textContent('[data-testid="case-closed-on-time"]')).toContain(`共结案 ${want.closed} 件`);
		expect(await page.textContent('[data-testid="case-overdue"]')).toContain('超期未办结');
		const byType = (await app.t.db.knex.raw(`SELECT matter_type, count(*)::int AS n FROM issues WHERE reported_at BETWEEN :from AND :to GROUP BY 1`, bounds)).rows as { matter_type: string; n: number }[];
		const typeCounts = MATTER_TYPES.map((m) => byType.find((r) => r.matter_type === m)?.n ?? 0);
		expect((await page.getAttribute('[data-testid="chart-matter-type"]', 'data-values'))!.split(',').map(Number)).toEqual(typeCounts);
		expect(await page.getAttribute('[data-testid="chart-matter-type"]', 'data-labels')).toBe('大事,实事,要事,急事,难事');
		// 部门报到: the water bureau first (three escalations), then the housing bureau.
		const acks = await page.$$eval('[data-testid="acks"] tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim())));
		expect(acks).toEqual([
			[WATER, '3', '1', '1', '1', '50%'],
			['县住建局', '1', '1', '0', '0', '100%']
		]);
		expect(await page.textContent('[data-testid="case-figures"] h2')).toBe('案件办理');
		expect(await headingSkips(page)).toEqual([]);
		expect(await lowContrastTexts(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/journey-planner-dashboard.png', fullPage: true });
		// The page scrolls inside its main box: the lower sections get their own pictures.
		await page.locator('[data-testid="case-figures"]').screenshot({ path: 'test-results/journey-planner-dashboard-cases.png' });
		await page.locator('section.charts').screenshot({ path: 'test-results/journey-planner-dashboard-charts.png' });
		expect(errors).toEqual([]);
		await context.close();
	});

	it('on a phone, an opened community sits between the toolbar and the bottom sheet', async () => {
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
		const page = await context.newPage();
		const errors = watchErrors(page);
		await page.goto(`${app.server.url}/login?next=${encodeURIComponent(`/?area=community:${GUIYUANLIN}`)}`);
		await signInThroughForm(page, 'demo-planner');
		const guiyuanlin = await community(GUIYUANLIN);
		await page.waitForFunction((name) => document.querySelector('[data-testid="area-name"]')?.textContent === name, guiyuanlin.name);
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await mapIdle(page);
		const area = await projectedBox(page, guiyuanlin.bbox);
		const sheet = await rectOf(page, '[data-testid="area-panel"]');
		const toolbar = await rectOf(page, '.toolbar');
		expect(area.top).toBeGreaterThanOrEqual(toolbar.bottom);
		expect(area.bottom).toBeLessThanOrEqual(sheet.top);
		expect(area.left).toBeGreaterThanOrEqual(0);
		expect(area.right).toBeLessThanOrEqual(360);
		await page.screenshot({ path: 'test-results/journey-planner-phone.png' });
		expect(errors).toEqual([]);
		await context.close();
	});

	it('offers a maskable icon in the manifest, full-bleed at 192 and 512 px', async () => {
		const manifest = await (await fetch(`${app.server.url}/manifest.webmanifest`)).json();
		for (const size of [192, 512]) {
			const icon = manifest.icons.find((i: { sizes: string; purpose?: string }) => i.sizes === `${size}x${size}` && i.purpose === 'maskable');
			expect(icon, `maskable ${size}`).toMatchObject({ type: 'image/png' });
			const bytes = Buffer.from(await (await fetch(`${app.server.url}${icon.src}`)).arrayBuffer());
			expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: size, height: size });
			// Full-bleed: the corners are painted (a launcher's mask cuts them, it must not show holes).
			const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
			expect(data[info.channels - 1]).toBe(255);
		}
	});
});
