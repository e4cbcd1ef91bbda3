/**
 * The resident's journey (issue 21), on a 360 px phone in Chinese, as on FixMyStreet: the
 * public form is usable before the map arrives; 使用当前位置 moves the map and drops a pin;
 * open reports of the same kind nearby are markers on the map; the pin is dragged; a photo
 * carrying a GPS position offers that place; the report is sent and the resident gets the
 * number to quote and their private link. Staff register, dispatch and resolve it with a
 * public reply, an internal note and an after-photo. Back on the link the resident sees the
 * timeline with the reply (never the note) and the photo, rates it, and reopens it because
 * it is not fixed. No console error anywhere. Screenshots: test-results/journey-resident-*.png.
 */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { APIRequestContext, Page } from 'playwright-core';
import { PAGE_DEFAULTS, hydrated, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

/** A degree value as EXIF writes it: degrees, minutes and seconds as rationals. */
function dms(value: number): { text: string; decimal: number } {
	const d = Math.floor(value);
	const m = Math.floor((value - d) * 60);
	const s = Math.round(((value - d) * 60 - m) * 60 * 10000);
	return { text: `${d}/1 ${m}/1 ${s}/10000`, decimal: d + m / 60 + s / 10000 / 3600 };
}

/** A phone photo taken at [lng, lat]: a JPEG whose EXIF carries the GPS position. */
async function photoAt(lng: number, lat: number): Promise<{ jpeg: Buffer; lng: number; lat: number }> {
	const x = dms(lng);
	const y = dms(lat);
	const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 110, g: 120, b: 95 } } })
		.jpeg()
		.withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: y.text, GPSLongitudeRef: 'E', GPSLongitude: x.text } })
		.toBuffer();
	return { jpeg, lng: x.decimal, lat: y.decimal };
}

/** A staff member's API session. */
async function staff(username: string): Promise<APIRequestContext> {
	const context = await app.browser.newContext();
	const res = await context.request.post(`${app.server.url}/api/session`, { data: { username, password: 'demo' }, headers: { origin: app.server.url } });
	expect(res.status()).toBe(200);
	return context.request;
}

/** Moves a case on as `who`, from the version it has now. */
async function move(who: APIRequestContext, code: string, body: object): Promise<void> {
	const read = await who.get(`${app.server.url}/api/cases/${code}`);
	expect(read.status()).toBe(200);
	const res = await who.post(`${app.server.url}/api/cases/${code}/transitions`, { data: body, headers: { 'if-match': read.headers().etag, origin: app.server.url } });
	expect([res.status(), (await res.text()).slice(0, 200)]).toEqual([200, expect.any(String)]);
}

/** A finger drag on the touch screen, from one point to another, in a few steps. */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
	const cdp = await page.context().newCDPSession(page);
	const at = (t: number) => [{ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t }];
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
	for (const t of [0.25, 0.5, 0.75, 1]) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(t) });
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
	await cdp.detach();
}

/** The whole page: it scrolls inside <main>, so the viewport grows to it for the picture. */
async function screenshotWhole(page: Page, path: string): Promise<void> {
	const height = await page.evaluate(() => document.querySelector('main')!.scrollHeight + 40);
	await page.setViewportSize({ width: 360, height: Math.max(740, height) });
	await page.screenshot({ path });
	await page.setViewportSize({ width: 360, height: 740 });
}

const formPosition = async (page: Page) => {
	const text = (await page.textContent('[data-testid="report-position"]')) ?? '';
	const m = /位置 ([\d.]+), ([\d.]+)/.exec(text);
	expect(m, text).not.toBeNull();
	return [Number(m![1]), Number(m![2])];
};

describe('the resident on a phone', () => {
	it('reports with the pin, the nearby markers and the photo’s place, follows the case on the private link, rates it and reopens it', async () => {
		const knex = app.t.db.knex;
		const { rows } = await knex.raw(`
			SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g
			JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid' ORDER BY g.code LIMIT 1`);
		const here = { longitude: Number(rows[0].lng), latitude: Number(rows[0].lat) };

		// Two neighbours reported rubbish close by earlier (about 15 m and 30 m away).
		const neighbours = await app.browser.newContext();
		const earlier: string[] = [];
		for (const [dx, dy] of [[0.00015, 0], [0, -0.00027]]) {
			const res = await neighbours.request.post(`${app.server.url}/api/cases/public`, {
				data: { category: 'environment', description: '垃圾桶满了没人清', lng: here.longitude + dx, lat: here.latitude + dy },
				headers: { origin: app.server.url }
			});
			expect(res.status()).toBe(201);
			earlier.push((await res.json()).code);
		}
		await neighbours.close();

		const context = await app.browser.newContext({
			...PAGE_DEFAULTS,
			viewport: { width: 360, height: 740 },
			isMobile: true,
			hasTouch: true,
			geolocation: here,
			permissions: ['geolocation']
		});
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		page.on('console', (m) => {
			if (m.type() === 'error') errors.push(m.text());
		});

		// Form first: the map's script (MapLibre, over a megabyte) is held back on the network,
		// as a slow phone line would; the form must be usable all the same.
		const held: (() => Promise<void>)[] = [];
		await page.route('**/_app/immutable/**/*.js', async (route) => {
			const response = await route.fetch();
			const body = await response.body();
			// The body comes decompressed: sent on without the encoding it no longer has.
			const headers = Object.fromEntries(Object.entries(response.headers()).filter(([k]) => k !== 'content-encoding' && k !== 'content-length'));
			const answer = () => route.fulfill({ status: response.status(), headers, body });
			if (body.length > 600_000) held.push(answer);
			else await answer();
		});
		await page.goto(`${app.server.url}/report`);
		await hydrated(page);
		expect(await page.textContent('h1')).toBe('居民随手拍 · 问题反映');
		expect(await page.textContent('[data-testid="report-map"]')).toBe('地图加载中，可先填写下面的内容');
		await page.selectOption('[data-testid="report-category"]', 'environment');
		await page.fill('[data-testid="report-description"]', '小区东门垃圾堆了三天，没人清运，气味很大');

		// 使用当前位置 works before the map has come: the form has the place.
		await page.tap('[data-testid="use-my-position"]');
		expect(await formPosition(page)).toEqual([Number(here.longitude.toFixed(5)), Number(here.latitude.toFixed(5))]);
		await page.screenshot({ path: 'test-results/journey-resident-0-form-first.png' });
		// The map's script was asked for after the page was up, and arrives now.
		await expect.poll(() => held.length, { timeout: 60_000 }).toBeGreaterThan(0);
		for (const release of held.splice(0)) await release();
		await page.unroute('**/_app/immutable/**/*.js');

		// The map comes to the position and drops the pin there; 使用当前位置 again does the same.
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		await page.tap('[data-testid="use-my-position"]');
		await page.waitForSelector('[data-testid="report-pin"]');
		await page.waitForFunction(
			([lng, lat]) => {
				const map = (window as unknown as { __map?: { getCenter(): { lng: number; lat: number }; isMoving(): boolean } }).__map;
				if (!map || map.isMoving()) return false;
				const c = map.getCenter();
				return Math.abs(c.lng - lng) < 1e-6 && Math.abs(c.lat - lat) < 1e-6;
			},
			[here.longitude, here.latitude]
		);
		expect(await page.textContent('.pin-hint')).toBe('拖动红色标记可调整问题位置');

		// The open reports of the same kind nearby are markers on the map, saying what they are.
		const { rows: open } = await knex.raw(
			`SELECT i.code FROM issues i WHERE i.category = 'environment' AND i.status NOT IN ('resolved', 'verified', 'closed', 'rejected')
				AND ST_DWithin(i.geom::geography, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography, 50) ORDER BY i.code`,
			{ lng: here.longitude, lat: here.latitude }
		);
		expect(open.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(earlier));
		await page.waitForFunction((n) => document.querySelectorAll('[data-testid="nearby-marker"]').length === n, open.length);
		const markers = await page.$$eval('[data-testid="nearby-marker"]', (els) => els.map((e) => [e.getAttribute('data-code'), e.getAttribute('aria-label')]));
		expect(markers.map(([code]) => code).sort()).toEqual(open.map((r: { code: string }) => r.code));
		expect(markers.find(([code]) => code === earlier[0])![1]).toBe(`附近已有反映 ${earlier[0]}：环境卫生，已上报`);
		expect(await page.textContent('[data-testid="report-nearby"]')).toContain('附近 50 米内已有同类未办结问题');
		await page.locator('[data-testid="report-map"]').scrollIntoViewIfNeeded();
		await page.screenshot({ path: 'test-results/journey-resident-1-located.png' });

		// The resident drags the pin a little east, to the door where the rubbish is.
		await page.locator('[data-testid="report-pin"]').scrollIntoViewIfNeeded();
		const pin = (await (await page.$('[data-testid="report-pin"]'))!.boundingBox())!;
		const start = { x: pin.x + pin.width / 2, y: pin.y + pin.height / 2 };
		await drag(page, start, { x: start.x + 40, y: start.y });
		await page.waitForFunction((lng) => {
			const m = /位置 ([\d.]+),/.exec(document.querySelector('[data-testid="report-position"]')?.textContent ?? '');
			return m !== null && Number(m[1]) > lng + 0.00005;
		}, here.longitude);
		const dragged = await formPosition(page);
		expect(dragged[1]).toBeCloseTo(here.latitude, 4);

		// A photo that carries where it was taken: the form offers that place.
		const photo = await photoAt(here.longitude + 0.0003, here.latitude + 0.0002);
		await page.setInputFiles('[data-testid="report-photos"]', { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo.jpeg });
		await page.waitForSelector('[data-testid="photo-place"]');
		expect(await page.textContent('[data-testid="photo-place"]')).toMatch(/照片带有拍摄位置（距当前标记约 \d+ 米），是否使用照片位置？/);
		await page.locator('[data-testid="photo-place"]').scrollIntoViewIfNeeded();
		await page.screenshot({ path: 'test-results/journey-resident-2-photo-place.png' });
		await page.tap('[data-testid="photo-place-use"]');
		expect(await formPosition(page)).toEqual([Number(photo.lng.toFixed(5)), Number(photo.lat.toFixed(5))]);

		// Sent: the number to quote on the phone and the private link.
		await page.tap('[data-testid="report-send"]');
		await page.waitForSelector('[data-testid="public-code"]');
		const code = (await page.textContent('[data-testid="public-code"]'))!.trim();
		expect(code).toMatch(/^C\d{8}$/);
		expect(await page.textContent('[data-testid="public-reported"]')).toContain('致电 12345 或社区时，请报此编号：');
		const link = (await page.getAttribute('[data-testid="status-link"]', 'href'))!;
		expect(link).toMatch(new RegExp(`/report/${code}\\?token=[\\w-]{20,}$`));
		await screenshotWhole(page, 'test-results/journey-resident-3-sent.png');
		const stored = await knex('issues').where({ code }).first(knex.raw('ST_X(geom) AS lng, ST_Y(geom) AS lat'), 'status', 'source', 'category');
		expect(Number(stored.lng)).toBeCloseTo(photo.lng, 7);
		expect(Number(stored.lat)).toBeCloseTo(photo.lat, 7);
		expect([stored.status, stored.source, stored.category]).toEqual(['reported', 'resident', 'environment']);

		// Staff take it through the loop: the community registers and dispatches it, the grid
		// worker resolves it with a reply for the resident, an internal note and an after-photo.
		const community = await staff('demo-community');
		await move(community, code, { to: 'registered' });
		await move(community, code, { to: 'dispatched', handler: { kind: 'grid_worker' } });
		const worker = await staff('demo-grid');
		await move(worker, code, { to: 'in_progress' });
		const after = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#4a8' } }).jpeg().toBuffer();
		const upload = await worker.post(`${app.server.url}/api/photos`, { data: after, headers: { 'content-type': 'image/jpeg', origin: app.server.url } });
		expect(upload.status()).toBe(201);
		await move(worker, code, {
			to: 'resolved',
			note: '物业经理李四 13700000000 说下午清运',
			public_reply: '垃圾已全部清运，已安排物业每日巡查',
			photos: [(await upload.json()).token]
		});

		// The private link: the timeline with the reply and the after-photo, no internal note.
		await page.goto(link);
		await hydrated(page);
		await page.waitForSelector('[data-testid="status-now"]');
		expect(await page.textContent('[data-testid="status-now"]')).toBe('当前状态：已处置');
		expect(await page.$$eval('[data-testid="status-step"] .step', (els) => els.map((e) => e.textContent))).toEqual(['您提交了反映', '已立案', '已派遣', '处置中', '已处置']);
		expect(await page.textContent('[data-testid="status-reply"]')).toBe('回复：垃圾已全部清运，已安排物业每日巡查');
		const body = (await page.textContent('main'))!;
		expect(body).not.toContain('李四');
		expect(body).not.toContain('13700000000');
		// The resident's own photo on the report, the after-photo on the resolution, both shown.
		await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="status-photo"]')].every((i) => i.complete && i.naturalWidth > 0));
		expect(await page.$$eval('[data-testid="status-step"]', (els) => els.map((e) => e.querySelectorAll('img').length))).toEqual([1, 0, 0, 0, 1]);
		expect(await page.textContent('[data-testid="rate-box"] h2')).toBe('问题已处置，您满意吗？');
		expect(await page.textContent('[data-testid="reopen-form"]')).toContain('问题没有解决？');
		await screenshotWhole(page, 'test-results/journey-resident-4-status.png');

		// Rated, then reopened: the rubbish is back the next morning.
		await page.tap('[data-testid="rate-2"]');
		await page.waitForSelector('[data-testid="rated"]');
		expect(await page.textContent('[data-testid="rated"]')).toBe('感谢您的评价');
		await page.fill('[data-testid="reopen-reason"]', '第二天早上垃圾又堆满了，根本没有每日巡查');
		await page.tap('[data-testid="reopen-send"]');
		await page.waitForSelector('[data-testid="reopened"]');
		expect(await page.textContent('[data-testid="reopened"]')).toBe('已重新打开，处置人员会继续办理。');
		expect(await page.textContent('[data-testid="status-now"]')).toBe('当前状态：群众重开');
		expect(await page.$$eval('[data-testid="status-step"] .step', (els) => els.map((e) => e.textContent))).toEqual(['您提交了反映', '已立案', '已派遣', '处置中', '已处置', '评价 2 星', '群众重开']);
		expect(await page.$('[data-testid="rate-box"]')).toBeNull();
		expect(await page.$('[data-testid="reopen-form"]')).toBeNull();
		await screenshotWhole(page, 'test-results/journey-resident-5-reopened.png');
		const final = await knex('issues').where({ code }).first('status', 'rating', 'rating_source');
		expect(final).toEqual({ status: 'reopened', rating: 2, rating_source: 'reporter' });

		// Back with the grid worker, in their list to handle.
		const list = await (await worker.get(`${app.server.url}/api/cases?list=handle`)).json();
		expect(list.items.find((i: { code: string }) => i.code === code)?.status).toBe('reopened');

		expect(errors).toEqual([]);
		await context.close();
	});

	it('after 14 days the link offers rating but no reopening, and the server refuses one; a wrong link says so in Chinese', async () => {
		const knex = app.t.db.knex;
		const { rows } = await knex.raw(`SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids ORDER BY code LIMIT 1`);
		const anonymous = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
		const sent = await anonymous.request.post(`${app.server.url}/api/cases/public`, {
			data: { category: 'greenery', description: '行道树枯死', lng: Number(rows[0].lng), lat: Number(rows[0].lat) },
			headers: { origin: app.server.url }
		});
		expect(sent.status()).toBe(201);
		const { code, rating_link: link } = await sent.json();
		// Resolved 15 days ago: walked to resolved directly in the database, then dated back.
		const { id } = await knex('issues').where({ code }).first('id');
		await knex('issues').where({ id }).update({ status: 'resolved' });
		await knex('issue_events').insert({ issue_id: id, at: knex.raw(`now() - interval '15 days'`), actor_name: 'test', from_status: 'in_progress', to_status: 'resolved', kind: 'transition', public_reply: '已补种' });

		const page = await anonymous.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		page.on('console', (m) => {
			if (m.type() === 'error') errors.push(m.text());
		});
		await page.goto(`${app.server.url}${link}`);
		await page.waitForSelector('[data-testid="status-now"]');
		expect(await page.textContent('[data-testid="status-now"]')).toBe('当前状态：已处置');
		expect(await page.$('[data-testid="rate-box"]')).not.toBeNull();
		expect(await page.$('[data-testid="reopen-form"]')).toBeNull();
		const token = new URL(link, app.server.url).searchParams.get('token');
		const events = await knex('issue_events').where({ issue_id: id }).count({ n: '*' });
		const refused = await anonymous.request.post(`${app.server.url}/api/cases/${code}/reopen`, { data: { token, reason: '树还是枯的' }, headers: { origin: app.server.url } });
		expect(refused.status()).toBe(409);
		expect(await knex('issue_events').where({ issue_id: id }).count({ n: '*' })).toEqual(events);
		expect((await knex('issues').where({ id }).first('status')).status).toBe('resolved');

		// A link with a wrong token shows no case, and says so.
		const wrong = await anonymous.newPage();
		await wrong.goto(`${app.server.url}/report/${code}?token=not-my-link`);
		await wrong.waitForSelector('[data-testid="status-error"]');
		expect(await wrong.textContent('[data-testid="status-error"]')).toBe('链接无效或已失效，请核对您保存的链接。');
		await wrong.screenshot({ path: 'test-results/journey-resident-6-wrong-link.png' });
		expect(errors).toEqual([]);
		await anonymous.close();
	});
});
