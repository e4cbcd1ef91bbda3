/**
 * The grid worker's phone, issue 21 points 2 and 3 and the grid worker's misses, on a 360 px
 * phone in Chinese against the real server:
 * - a report's pin, dragged outside the grid: the territory check says so before sending, in
 *   Chinese, offering the nearest own building (taken: the case lands on its anchor) or passing
 *   it on to the community there (taken: the community handles it, the event says so);
 * - a report the server refuses stays in the outbox with the server's reason, to edit and send
 *   again (it lands once, as edited) or to discard (nothing lands);
 * - the map's legend names every symbol, each with its shape; the header has no 点选层级;
 * - outside their grid /me says how far and which way, and a tap on a map sets the position.
 * Screenshots: test-results/field-report-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { PAGE_DEFAULTS, hydrated, useBrowserApp } from '../helpers/browser.js';
import { held } from '../../src/lib/server/platform/held.js';

declare global {
	interface Window {
		__map: MapLibreMap;
		__pinMap: MapLibreMap;
	}
}

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

const TERRITORY = `(SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND ${held('a')}
	JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid')`;

/** demo-grid's buildings, by the assignments. */
async function buildings(): Promise<{ code: string; address: string | null; lng: number; lat: number }[]> {
	const { rows } = await app.t.db.knex.raw(`SELECT b.code, b.address, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b WHERE ST_Covers(${TERRITORY}, b.anchor) ORDER BY b.code`);
	return rows.map((r: { code: string; address: string | null; lng: string; lat: string }) => ({ ...r, lng: Number(r.lng), lat: Number(r.lat) }));
}

/**
 * A point in the county outside demo-grid's grids, about `metres` west of them, with its
 * community, the worker's nearest building, and the distance and compass point from it to
 * the grids — all by PostGIS.
 */
async function outsidePoint(metres: number) {
	const { rows } = await app.t.db.knex.raw(
		`WITH t AS (SELECT ${TERRITORY} AS g),
		      p AS (SELECT ST_SetSRID(ST_MakePoint(ST_XMin(t.g) - ? / 97500.0, ST_Y(ST_Centroid(t.g))), 4326) AS g FROM t)
		 SELECT ST_X(p.g) AS lng, ST_Y(p.g) AS lat,
			EXISTS (SELECT 1 FROM county c WHERE ST_Covers(c.geom, p.g)) AS in_county,
			(SELECT c.name FROM covering_community(p.g) c) AS community,
			(SELECT c.id FROM covering_community(p.g) c) AS community_id,
			ST_Distance(p.g::geography, ST_ClosestPoint(t.g, p.g)::geography) AS distance_m,
			degrees(ST_Azimuth(p.g::geography, ST_ClosestPoint(t.g, p.g)::geography)) AS bearing,
			(SELECT b.code FROM buildings b WHERE ST_Covers(t.g, b.anchor) ORDER BY ST_Distance(b.anchor::geography, p.g::geography), b.code LIMIT 1) AS nearest
		 FROM p, t`,
		[metres]
	);
	const r = rows[0];
	return { at: [Number(r.lng), Number(r.lat)] as [number, number], inCounty: r.in_county as boolean, community: r.community as string, communityId: Number(r.community_id), metres: Number(r.distance_m), bearing: Number(r.bearing), nearest: r.nearest as string };
}

async function phone(position: { longitude: number; latitude: number }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
	const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, geolocation: position, permissions: ['geolocation'] });
	expect((await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-grid', password: 'demo' } })).status()).toBe(200);
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	page.on('console', (m) => {
		// A refused report is the server's 4xx, which Chromium logs as a failed resource: that is the test.
		if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) errors.push(m.text());
	});
	return { context, page, errors };
}

/** /me with the report form open and its pin map drawn. */
async function openReport(page: Page) {
	await page.goto(`${app.server.url}/me`);
	await page.waitForSelector('[data-testid="my-building"]');
	await hydrated(page);
	await page.waitForSelector('[data-testid="position"]');
	await page.tap('[data-testid="me-report"]');
	await page.waitForSelector('[data-testid="pin-map"] [data-testid="map"][data-map-ready="true"]');
	await page.waitForFunction(() => !!window.__pinMap);
}

/**
 * Drags the report's pin, standing on `from`, to `to` with the mouse (MapLibre's marker drag):
 * the map shows both, the pin is grabbed where it is and moved by the pixels between them.
 */
async function dragPin(page: Page, from: [number, number], to: [number, number]) {
	await page.$eval('[data-testid="pin-map"]', (e) => e.scrollIntoView({ block: 'center' }));
	await page.evaluate(
		([a, b]) => window.__pinMap.jumpTo({ center: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], zoom: 14.5 }),
		[from, to] as const
	);
	// The marker follows the map on its next frame.
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	const pin = (await (await page.$('[data-testid="report-pin"]'))!.boundingBox())!;
	const [a, b] = await page.evaluate(([p, q]) => [window.__pinMap.project(p as [number, number]), window.__pinMap.project(q as [number, number])].map((x) => ({ x: x.x, y: x.y })), [from, to] as const);
	const grab = { x: pin.x + pin.width / 2, y: pin.y + pin.height / 2 };
	// A finger on the phone: touch events, as Chromium's DevTools protocol sends them.
	const cdp = await page.context().newCDPSession(page);
	const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', k: number) =>
		cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: grab.x + (b.x - a.x) * k, y: grab.y + (b.y - a.y) * k }] });
	await touch('touchStart', 0);
	for (let k = 1; k <= 10; k++) await touch('touchMove', k / 10);
	await touch('touchEnd', 1);
	await cdp.detach();
	// The finger lifts; a tap within Chromium's double-tap window would be taken as a double tap, not a click.
	await new Promise((r) => setTimeout(r, 600));
}

const countCases = async (description: string) => Number((await app.t.db.knex.raw(`SELECT count(*)::int AS n FROM issues WHERE description = ?`, [description])).rows[0].n);

describe('reporting from /me with a pin (issue 21, point 2)', () => {
	it('checks the pin against the territory before sending: outside, it offers the nearest own building, and the case lands there', async () => {
		const own = await buildings();
		const outside = await outsidePoint(600);
		expect(outside.inCounty).toBe(true);
		const nearest = own.find((b) => b.code === outside.nearest)!;
		const { context, page, errors } = await phone({ longitude: own[0].lng, latitude: own[0].lat });
		await openReport(page);
		const description = `围墙开裂 ${Date.now()}`;
		await page.fill('[data-testid="report-description"]', description);
		await dragPin(page, [own[0].lng, own[0].lat], outside.at);
		await page.waitForFunction(() => document.querySelector('[data-testid="report-position"]')?.textContent?.includes('不在您的网格内'));
		await page.tap('[data-testid="report-send"]');
		const prompt = await page.waitForSelector('[data-testid="report-outside"]');
		expect(await prompt.textContent()).toContain(`该位置不在您的网格内（${outside.community}）`);
		expect(await page.textContent('[data-testid="report-use-nearest"]')).toContain(`改到最近的本人楼栋：${nearest.address ?? nearest.code}`);
		expect(await page.textContent('[data-testid="report-hand-over"]')).toBe(`转交${outside.community}处理`);
		await page.screenshot({ path: 'test-results/field-report-1-outside.png', fullPage: true });
		expect(await countCases(description)).toBe(0);

		await page.tap('[data-testid="report-use-nearest"]');
		await page.waitForFunction((name) => document.querySelector('[data-testid="report-position"]')?.textContent?.startsWith(`位于 ${name}`), nearest.address ?? nearest.code);
		await page.tap('[data-testid="report-send"]');
		const code = (await (await page.waitForSelector('[data-testid="me-reported"] a')).textContent())!.trim();
		const stored = await app.t.db.knex('issues').where({ code }).first(app.t.db.knex.raw('ST_X(geom) AS lng, ST_Y(geom) AS lat'), 'description', 'handler_kind');
		expect(stored.description).toBe(description);
		expect(Number(stored.lng)).toBeCloseTo(nearest.lng, 6);
		expect(Number(stored.lat)).toBeCloseTo(nearest.lat, 6);
		expect(errors).toEqual([]);
		await context.close();
	}, 180_000);

	it('passes a report outside the grid on to the community there, which handles it', async () => {
		const outside = await outsidePoint(600);
		const { context, page, errors } = await phone({ longitude: outside.at[0], latitude: outside.at[1] });
		await openReport(page);
		const description = `路灯不亮 ${Date.now()}`;
		await page.fill('[data-testid="report-description"]', description);
		await page.tap('[data-testid="report-send"]');
		await page.waitForSelector('[data-testid="report-outside"]');
		await page.tap('[data-testid="report-hand-over"]');
		const done = await page.waitForSelector('[data-testid="me-reported"]');
		expect(await done.textContent()).toContain(`已转交 ${outside.community}`);
		await page.screenshot({ path: 'test-results/field-report-2-handed-over.png' });
		const [row] = (
			await app.t.db.knex.raw(
				`SELECT i.handler_kind, i.handler_community_id, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat, e.detail FROM issues i JOIN issue_events e ON e.issue_id = i.id AND e.kind = 'created' WHERE i.description = ?`,
				[description]
			)
		).rows;
		expect(row).toMatchObject({ handler_kind: 'community', handler_community_id: outside.communityId, detail: { handler: 'community', handed_over: true } });
		expect(Number(row.lng)).toBeCloseTo(outside.at[0], 6);
		expect(errors).toEqual([]);
		await context.close();
	}, 180_000);
});

describe('a refused report in the outbox (issue 21, point 2)', () => {
	it('shows the server’s reason; edited and sent again it lands once; discarded, nothing lands', async () => {
		const own = await buildings();
		const { context, page, errors } = await phone({ longitude: own[1].lng, latitude: own[1].lat });
		// The county retires a category while the worker's form still offers it: the server refuses the report.
		await app.t.db.knex('case_categories').where({ code: 'parking' }).update({ active: false });
		try {
			await openReport(page);
			const description = `占道停车 ${Date.now()}`;
			await page.selectOption('[data-testid="report-category"]', 'parking');
			await page.fill('[data-testid="report-description"]', description);
			await page.tap('[data-testid="report-send"]');
			expect(await (await page.waitForSelector('[data-testid="report-error"]')).textContent()).toContain('未能提交：');
			// The strip says so and lists it with the server's reason, and the ways on.
			await page.waitForSelector('[data-testid="outbox-item"][data-state="failed"]');
			expect(await page.textContent('[data-testid="field-offline"]')).toContain('1 条未能提交');
			const item = (await page.textContent('[data-testid="outbox-item"][data-state="failed"]'))!;
			expect(item).toContain('上报问题');
			expect(item).toContain('未被接受');
			expect(await page.textContent('[data-testid="outbox-reason"]')).toMatch(/^原因：.*parking/);
			expect(await page.textContent('[data-testid="outbox-edit"]')).toBe('修改后重发');
			expect(await page.textContent('[data-testid="outbox-resend"]')).toBe('重新发送');
			expect(await page.textContent('[data-testid="outbox-discard"]')).toBe('放弃');
			await page.screenshot({ path: 'test-results/field-report-3-refused.png', fullPage: true });

			// Edit: the form comes back with the report as written; another category, and it lands once.
			await page.tap('[data-testid="me-report"]');
			await page.tap('[data-testid="outbox-edit"]');
			await page.waitForURL(/\/me\?edit=/);
			const form = await page.waitForSelector('[data-testid="report-form"]');
			expect(await form.textContent()).toContain('修改被退回的上报');
			expect(await page.inputValue('[data-testid="report-description"]')).toBe(description);
			expect(await page.inputValue('[data-testid="report-category"]')).toBe('parking');
			await page.selectOption('[data-testid="report-category"]', 'infrastructure');
			await page.tap('[data-testid="report-send"]');
			const code = (await (await page.waitForSelector('[data-testid="me-reported"] a')).textContent())!.trim();
			const stored = await app.t.db.knex('issues').where({ description });
			expect(stored.map((c: { code: string; category: string }) => [c.code, c.category])).toEqual([[code, 'infrastructure']]);
			await page.waitForFunction(() => !document.querySelector('[data-testid="outbox-item"][data-state="failed"]'));

			// Another refusal, discarded: it leaves the list and nothing lands.
			const dropped = `乱停车 ${Date.now()}`;
			await page.goto(`${app.server.url}/me`);
			await openReport(page);
			await page.selectOption('[data-testid="report-category"]', 'parking');
			await page.fill('[data-testid="report-description"]', dropped);
			await page.tap('[data-testid="report-send"]');
			await page.waitForSelector('[data-testid="outbox-discard"]');
			await page.tap('[data-testid="outbox-discard"]');
			await page.waitForFunction(() => !document.querySelector('[data-testid="outbox-item"][data-state="failed"]'));
			expect(await countCases(dropped)).toBe(0);
			expect(errors).toEqual([]);
		} finally {
			await app.t.db.knex('case_categories').where({ code: 'parking' }).update({ active: true });
			await context.close();
		}
	}, 180_000);
});

describe('the grid worker’s map and position (issue 21, the grid worker’s misses)', () => {
	it('names every symbol in the legend with its shape, and the phone header has no 点选层级 and a search box that fits', async () => {
		const own = await buildings();
		const { context, page, errors } = await phone({ longitude: own[0].lng, latitude: own[0].lat });
		await page.goto(`${app.server.url}/`);
		await page.waitForSelector('main[data-field-ready="true"]');
		await page.waitForSelector('[data-testid="field-legend"]');
		const entries = await page.$$eval('[data-testid="legend-entry"]', (items) => items.map((i) => [i.getAttribute('data-symbol'), i.textContent?.trim()]));
		expect(entries).toEqual([
			['rainCheckDue', '雨待暴雨巡查'],
			['openCases', '问有未办结问题'],
			['headsMissing', '缺缺楼栋长'],
			['nothingDue', '无待办，本月未走访'],
			['visited', '绿色外圈：本月已走访'],
			['position', '我的位置'],
			['walk', '步行路线'],
			['territory', '我的辖区']
		]);
		// The map draws the same characters inside the markers.
		expect(await page.evaluate(() => window.__map.getLayoutProperty('field-buildings-mark', 'text-field'))).toEqual(['get', 'mark']);
		expect(await page.isVisible('text=点选层级')).toBe(false);
		const search = (await (await page.$('input[type="search"], [data-testid="search-input"]'))!.boundingBox())!;
		expect(search.x).toBeGreaterThanOrEqual(0);
		expect(search.x + search.width).toBeLessThanOrEqual(360);
		expect(search.width).toBeGreaterThanOrEqual(150);
		await page.screenshot({ path: 'test-results/field-report-4-legend.png' });

		// A building without a building head: its card says 未配备 for that role, and names the others.
		const [headless] = (
			await app.t.db.knex.raw(
				`SELECT b.code, (SELECT array_agg(DISTINCT h.role) FROM assignments h WHERE h.building_id = b.id AND ${held('h')}) AS roles
				 FROM buildings b WHERE ST_Covers(${TERRITORY}, b.anchor)
				   AND NOT EXISTS (SELECT 1 FROM assignments h WHERE h.building_id = b.id AND h.role = 'building_head' AND ${held('h')}) ORDER BY b.code LIMIT 1`
			)
		).rows;
		await page.goto(`${app.server.url}/?building=${headless.code}`);
		await page.waitForSelector(`[data-testid="building-card"][data-code="${headless.code}"]`);
		const roster = await page.$$eval('[data-testid="roster-role"]', (rows) => rows.map((r) => [r.getAttribute('data-role'), r.querySelector('.missing')?.textContent ?? null]));
		const roles: string[] = headless.roles ?? [];
		expect(roster).toEqual([
			['building_head', '未配备'],
			['party_group_leader', roles.includes('party_group_leader') ? null : '未配备'],
			['grid_worker', null],
			['registered_party_member', roles.includes('registered_party_member') ? null : '未配备']
		]);
		await page.screenshot({ path: 'test-results/field-report-7-roster.png' });
		expect(errors).toEqual([]);
		await context.close();
	}, 120_000);

	it('outside the grid /me says how far and which way; a tap on the map sets the position, said as a place', async () => {
		const own = await buildings();
		const outside = await outsidePoint(1700);
		const { context, page, errors } = await phone({ longitude: outside.at[0], latitude: outside.at[1] });
		await page.goto(`${app.server.url}/me`);
		await page.waitForSelector('[data-testid="my-building"]');
		await hydrated(page);
		const cue = (await (await page.waitForSelector('[data-testid="outside-grid"]')).textContent())!;
		const [, km, direction] = cue.match(/^您在网格外 ([\d.]+) 公里，(\S+)方向$/)!;
		expect(Math.abs(Number(km) - outside.metres / 1000)).toBeLessThanOrEqual(0.06);
		const COMPASS = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'];
		expect(direction).toBe(COMPASS[Math.round(outside.bearing / 45) % 8]);
		expect(await page.textContent('[data-testid="position"]')).not.toMatch(/\d+\.\d{4,}/);
		expect(await page.$('input[placeholder="经度,纬度"]')).toBeNull();
		await page.screenshot({ path: 'test-results/field-report-5-outside-grid.png' });

		await page.tap('[data-testid="choose-position-open"]');
		await page.waitForSelector('[data-testid="choose-position"] [data-testid="map"][data-map-ready="true"]');
		await page.waitForFunction(() => !!window.__pinMap);
		const b = own[2];
		await page.evaluate((p) => window.__pinMap.jumpTo({ center: p as [number, number] }), [b.lng, b.lat]);
		const { x, y } = await page.evaluate((p) => {
			const r = window.__pinMap.getCanvas().getBoundingClientRect();
			const q = window.__pinMap.project(p as [number, number]);
			return { x: r.left + q.x, y: r.top + q.y };
		}, [b.lng, b.lat]);
		await page.touchscreen.tap(x, y);
		await page.tap('[data-testid="choose-position-done"]');
		await page.waitForFunction((name) => document.querySelector('[data-testid="position"]')?.textContent?.includes(`位于 ${name}`), b.address ?? b.code);
		expect(await page.$('[data-testid="outside-grid"]')).toBeNull();
		// The list measures from the chosen position: that building is a few metres away.
		expect(Number(await page.getAttribute(`[data-testid="my-building-row"][data-code="${b.code}"]`, 'data-metres'))).toBeLessThan(5);
		await page.screenshot({ path: 'test-results/field-report-6-chosen.png' });
		expect(errors).toEqual([]);
		await context.close();
	}, 120_000);
});
