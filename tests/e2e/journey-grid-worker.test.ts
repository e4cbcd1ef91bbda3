/**
 * The grid worker's journey (issue 21), as demo-grid walks it on a 360 px phone in Chinese:
 * signs in on /me and sees their buildings, the position said as a place; opens a building
 * never visited (the card names all four of 两长两员, 未配备 where one is missing; the map's
 * legend names every symbol; the header has no 点选层级); records a visit with the network cut
 * (已保存，待发送), gets the signal back (已发送 with the time, the card's last visit and the
 * list's 本月已走访); reports a case by tapping the map to place the pin and sees its code.
 * No console error on the way. Screenshots: test-results/journey-grid-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { PAGE_DEFAULTS, hydrated, signInThroughForm, useBrowserApp } from '../helpers/browser.js';
import { held } from '../../src/lib/server/platform/held.js';

declare global {
	interface Window {
		__map: MapLibreMap;
		__pinMap: MapLibreMap;
	}
}

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

/** demo-grid's buildings with their 两长两员, by the assignments, independently of the app's queries. */
async function mine() {
	const { rows } = await app.t.db.knex.raw(`
		SELECT b.code, b.address, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat,
			EXISTS (SELECT 1 FROM visits v WHERE v.building_id = b.id) AS visited,
			(SELECT array_agg(DISTINCT h.role) FROM assignments h WHERE h.building_id = b.id AND ${held('h')}
			   AND h.role IN ('building_head', 'party_group_leader', 'registered_party_member')) AS roles
		FROM buildings b JOIN assignments a ON a.grid_id = b.grid_id AND a.role = 'grid_worker' AND ${held('a')}
		JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' ORDER BY b.code`);
	return rows.map((r: { code: string; address: string | null; lng: string; lat: string; visited: boolean; roles: string[] | null }) => ({
		...r,
		lng: Number(r.lng),
		lat: Number(r.lat),
		roles: r.roles ?? []
	}));
}

/** Taps the point [lng, lat] on a map exposed on window[name]. */
async function tapMap(page: Page, name: '__map' | '__pinMap', at: [number, number]) {
	const { x, y } = await page.evaluate(
		([n, p]) => {
			const map = (window as unknown as Record<string, MapLibreMap>)[n as string];
			const r = map.getCanvas().getBoundingClientRect();
			const q = map.project(p as [number, number]);
			return { x: r.left + q.x, y: r.top + q.y };
		},
		[name, at] as const
	);
	await page.touchscreen.tap(x, y);
}

describe('the grid worker’s journey on a phone', () => {
	it('signs in, opens a building, records a visit offline and sees it land, reports with a pin and sees its code', async () => {
		const buildings = await mine();
		expect(buildings.length).toBe(5);
		const target = buildings.find((b: { visited: boolean }) => !b.visited)!;
		expect(target).toBeTruthy();
		// About 10 m from the building: the phone stands at it.
		const position = { longitude: target.lng + 0.0001, latitude: target.lat };
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, geolocation: position, permissions: ['geolocation'] });
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		page.on('console', (m) => {
			// The page's own requests fail while the network is cut: those are the journey, not errors.
			if (m.type() === 'error' && !/net::ERR_INTERNET_DISCONNECTED/.test(m.text())) errors.push(m.text());
		});

		// 1. Signs in on /me and sees their buildings, the position said as a place.
		await page.goto(`${app.server.url}/me`);
		await signInThroughForm(page, 'demo-grid');
		await page.waitForURL(/\/me$/);
		await page.waitForSelector('[data-testid="my-building"]');
		await hydrated(page);
		expect(await page.$$eval('[data-testid="my-building"]', (a) => a.map((e) => e.getAttribute('data-code')).sort())).toEqual(buildings.map((b: { code: string }) => b.code).sort());
		const where = await (await page.waitForSelector('[data-testid="position"]:has-text("位于")')).textContent();
		expect(where).toContain(`位于 ${target.address ?? target.code}`);
		expect(where).not.toMatch(/\d+\.\d{4,}/);
		expect(await page.textContent('[data-testid="my-building-row"][data-code="' + target.code + '"]')).not.toContain('本月已走访');
		await page.screenshot({ path: 'test-results/journey-grid-1-list.png' });

		// 2. Opens the building: the card names all four of 两长两员, 未配备 where one is missing.
		await page.tap(`[data-testid="my-building"][data-code="${target.code}"]`);
		await page.waitForSelector(`[data-testid="building-card"][data-code="${target.code}"]`);
		await page.waitForSelector('main[data-field-ready="true"]');
		const roster = await page.$$eval('[data-testid="roster-role"]', (rows) => rows.map((r) => ({ role: r.getAttribute('data-role'), missing: r.getAttribute('data-missing'), text: r.textContent?.replace(/\s+/g, ' ').trim() })));
		expect(roster.map((r) => r.role)).toEqual(['building_head', 'party_group_leader', 'grid_worker', 'registered_party_member']);
		const labels = ['楼栋长', '党小组长', '网格员', '双报到党员'];
		for (const [i, r] of roster.entries()) {
			expect(r.text!.startsWith(labels[i])).toBe(true);
			const held = r.role === 'grid_worker' || target.roles.includes(r.role!);
			expect(r.missing).toBe(held ? 'false' : 'true');
			if (!held) expect(r.text).toContain('未配备');
		}
		expect(await page.textContent('[data-testid="card-last-visit"]')).toContain('尚未走访');
		// The phone header has no 点选层级 (a desktop control).
		expect(await page.isVisible('text=点选层级')).toBe(false);
		await page.screenshot({ path: 'test-results/journey-grid-2-card.png' });

		// 3. Records a visit with the network cut.
		await context.setOffline(true);
		await page.tap('[data-testid="card-visit"]');
		await page.tap('[data-testid="visit-situation-normal"]');
		await page.fill('[data-testid="visit-note"]', '入户走访，楼道整洁');
		await page.tap('[data-testid="visit-save"]');
		const result = await page.waitForSelector('[data-testid="outbox-result"][data-state="waiting"]');
		expect(await result.textContent()).toContain('已保存，待发送');
		expect(await page.textContent('[data-testid="card-last-visit"]')).toContain('已保存，待发送');
		expect(await page.textContent('[data-testid="field-offline"]')).toContain('待发送 1 条');
		await page.screenshot({ path: 'test-results/journey-grid-3-offline.png' });
		expect(Number((await app.t.db.knex.raw(`SELECT count(*)::int AS n FROM visits v JOIN buildings b ON b.id = v.building_id WHERE b.code = ?`, [target.code])).rows[0].n)).toBe(0);

		// 4. The signal returns: 已发送 with the time; the card and the list show the visit.
		await context.setOffline(false);
		await page.waitForSelector('[data-testid="outbox-result"][data-state="sent"]', { timeout: 60_000 });
		expect(await page.textContent('[data-testid="outbox-result"]')).toMatch(/已发送 · \d\d:\d\d/);
		await page.waitForFunction(() => !document.querySelector('[data-testid="card-last-visit"]')?.textContent?.includes('尚未走访') && !document.querySelector('[data-testid="card-last-visit"]')?.textContent?.includes('待发送'));
		expect(await page.textContent('[data-testid="card-last-visit"]')).toContain('正常');
		await page.screenshot({ path: 'test-results/journey-grid-4-sent.png' });
		expect(Number((await app.t.db.knex.raw(`SELECT count(*)::int AS n FROM visits v JOIN buildings b ON b.id = v.building_id WHERE b.code = ?`, [target.code])).rows[0].n)).toBe(1);
		await page.goto(`${app.server.url}/me`);
		const row = await page.waitForSelector(`[data-testid="my-building-row"][data-code="${target.code}"][data-visited="true"]`);
		expect(await row.textContent()).toContain('本月已走访');

		// 5. Reports a case: the pin starts at the fix; a tap on the map moves it there.
		await page.tap('[data-testid="me-report"]');
		await page.waitForSelector('[data-testid="pin-map"] [data-testid="map"][data-map-ready="true"]');
		await page.waitForFunction(() => !!window.__pinMap);
		const other = buildings.find((b: { code: string }) => b.code !== target.code)!;
		const spot: [number, number] = [other.lng + 0.00005, other.lat];
		await page.evaluate((p) => window.__pinMap.jumpTo({ center: p as [number, number] }), spot);
		await tapMap(page, '__pinMap', spot);
		await page.waitForFunction((name) => document.querySelector('[data-testid="report-position"]')?.textContent?.includes(name as string), other.address ?? other.code);
		await page.selectOption('[data-testid="report-category"]', 'environment');
		const description = `楼下垃圾堆放 ${Date.now()}`;
		await page.fill('[data-testid="report-description"]', description);
		await page.screenshot({ path: 'test-results/journey-grid-5-pin.png', fullPage: true });
		await page.tap('[data-testid="report-send"]');
		const reported = await page.waitForSelector('[data-testid="me-reported"] a');
		const code = (await reported.textContent())!.trim();
		expect(await page.textContent('[data-testid="me-reported"]')).toContain(`已上报 ${code}`);
		const stored = await app.t.db.knex('issues').where({ code }).first(app.t.db.knex.raw('ST_X(geom) AS lng, ST_Y(geom) AS lat'), 'description');
		expect(stored.description).toBe(description);
		// Where the finger tapped, to the pixel's worth (about a decimetre at zoom 17), not the phone's fix.
		expect(Number(stored.lng)).toBeCloseTo(spot[0], 5);
		expect(Number(stored.lat)).toBeCloseTo(spot[1], 5);
		await page.screenshot({ path: 'test-results/journey-grid-6-reported.png' });

		expect(errors).toEqual([]);
		await context.close();
	}, 300_000);
});
