/**
 * The county dashboard in a browser (issue 14, part 6): for two periods, a click on a figure
 * lists exactly the records an independent SQL statement finds, as many as the figure says;
 * the charts draw the figure's months and communities; a click on a community in the map lists
 * that community's records only; at 360 px nothing scrolls sideways.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PAGE_DEFAULTS, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });
const H1 = { from: '2026-01-01', to: '2026-06-30' };
const H2 = { from: '2026-07-01', to: '2026-11-30' };

/** The matters of joint meetings held in a period, by key, from the tables alone. */
async function matterKeys(p: { from: string; to: string }): Promise<string[]> {
	const { rows } = await app.t.db.knex.raw(
		`SELECT 'matter:' || mm.id AS key FROM meeting_matters mm JOIN first_secretary_activities a ON a.id = mm.activity_id
		 WHERE a.kind = 'meeting' AND a.held_on BETWEEN :from AND :to ORDER BY 1`,
		p
	);
	return rows.map((r: { key: string }) => r.key);
}

async function meetingKeys(p: { from: string; to: string }): Promise<string[]> {
	const { rows } = await app.t.db.knex.raw(`SELECT 'meeting:' || id AS key FROM first_secretary_activities WHERE kind = 'meeting' AND held_on BETWEEN :from AND :to ORDER BY 1`, p);
	return rows.map((r: { key: string }) => r.key);
}

async function listedKeys(page: Page): Promise<string[]> {
	return (await page.locator('[data-testid="records"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-key') ?? ''))).sort();
}

beforeAll(async () => {
	// The sample's joint meetings are all in June: two more in September give the second half-year its own.
	const communities = await app.t.db.knex('communities').orderBy('code').limit(2).pluck('id');
	for (const [i, id] of communities.entries()) {
		const [m] = await app.t.db.knex('first_secretary_activities').insert({ kind: 'meeting', community_id: id, held_on: `2026-09-1${i}`, place: '党群服务中心' }).returning('id');
		for (let n = 1; n <= 3; n++) await app.t.db.knex('meeting_matters').insert({ activity_id: m.id, kind: n === 3 ? 'resolved' : 'raised', n, text: `九月议题${n}` });
	}
});

describe('/dashboard', () => {
	it('lists exactly the records behind a figure, for two periods', async () => {
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 900 } })).newPage();
		await page.goto(`${app.server.url}/dashboard?${new URLSearchParams(H1)}`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="figures"]');
		for (const p of [H1, H2]) {
			await page.goto(`${app.server.url}/dashboard?${new URLSearchParams(p)}`);
			for (const [figure, want] of [['matters', await matterKeys(p)], ['meetings', await meetingKeys(p)]] as const) {
				expect(want.length).toBeGreaterThan(0);
				const card = page.locator(`[data-testid="figure-${figure}"]`);
				expect(Number(await card.getAttribute('data-value'))).toBe(want.length);
				await card.click();
				await page.waitForURL((url) => url.searchParams.get('figure') === figure && url.searchParams.get('from') === p.from);
				await page.waitForSelector(`[data-testid="records"][data-total="${want.length}"]`);
				expect(await listedKeys(page)).toEqual(want);
				expect(await page.textContent('[data-testid="records"] h2')).toContain(`${want.length} 条记录`);
				// the month chart adds up to the figure
				const months = (await page.getAttribute('[data-testid="chart-month"]', 'data-values'))!.split(',').map(Number);
				expect(months.reduce((a, b) => a + b, 0)).toBe(want.length);
			}
		}
		await page.waitForSelector('[data-testid="dashboard-map"] [data-map-ready="true"]');
		await page.screenshot({ path: 'test-results/dashboard-1280.png', fullPage: true });
	});

	it('a click on a community in the map lists its records only; 360 px wide without sideways scrolling', async () => {
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } })).newPage();
		await page.goto(`${app.server.url}/dashboard?${new URLSearchParams({ ...H1, figure: 'matters' })}`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="dashboard-map"] [data-map-ready="true"]');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.screenshot({ path: 'test-results/dashboard-360.png', fullPage: true });

		// the community with the most matters in the first half-year, and where it is on screen
		const { rows } = await app.t.db.knex.raw(
			`SELECT c.code, ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat, count(*)::int AS n
			 FROM meeting_matters mm JOIN first_secretary_activities a ON a.id = mm.activity_id JOIN communities c ON c.id = a.community_id
			 WHERE a.kind = 'meeting' AND a.held_on BETWEEN :from AND :to GROUP BY c.code, c.geom ORDER BY n DESC, c.code LIMIT 1`,
			H1
		);
		const target = rows[0];
		await page.locator('[data-testid="dashboard-map"]').scrollIntoViewIfNeeded();
		const spot = await page.evaluate(
			([lng, lat]) => {
				const map = (window as unknown as { __map: { project(p: [number, number]): { x: number; y: number }; getContainer(): HTMLElement } }).__map;
				const at = map.project([lng, lat]);
				const box = map.getContainer().getBoundingClientRect();
				return { x: box.left + at.x, y: box.top + at.y };
			},
			[Number(target.lng), Number(target.lat)]
		);
		await page.mouse.click(spot.x, spot.y);
		await page.waitForURL((url) => url.searchParams.get('community') === target.code);
		await page.waitForSelector(`[data-testid="records"][data-total="${target.n}"]`);
		const { rows: keys } = await app.t.db.knex.raw(
			`SELECT 'matter:' || mm.id AS key FROM meeting_matters mm JOIN first_secretary_activities a ON a.id = mm.activity_id JOIN communities c ON c.id = a.community_id
			 WHERE a.kind = 'meeting' AND a.held_on BETWEEN :from AND :to AND c.code = :code ORDER BY 1`,
			{ ...H1, code: target.code }
		);
		expect(await listedKeys(page)).toEqual(keys.map((r: { key: string }) => r.key));
	});
});
