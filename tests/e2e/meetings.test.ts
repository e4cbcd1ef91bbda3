/**
 * Issue 14's acceptance point, in Chromium on a phone-sized screen (360 px): a matter raised at
 * a joint meeting (共驻共建联席会) becomes a case at its location in one step, and the meeting
 * links it. The community admin records the meeting, opens its page, presses 转为案件 on the
 * matter; the case exists at the matter's point with source joint_meeting, and the meeting
 * page shows its code linking to /cases/<code>. The county table and the community's page show
 * the meeting held.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, hydrated, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp();
const COMMUNITY = '510522100006';

describe('joint meetings in the browser', () => {
	it('turns a matter raised into a case at its point, and the meeting page links it', async () => {
		// A building of the community, not its centre: the case must land where the matter was.
		const { rows } = await app.t.db.knex.raw(
			`SELECT ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat FROM buildings b JOIN communities c ON ST_Covers(c.geom, b.anchor)
			 WHERE c.code = :c ORDER BY b.code LIMIT 1 OFFSET 3`,
			{ c: COMMUNITY }
		);
		const [lng, lat] = [Number(rows[0].lng), Number(rows[0].lat)];
		const context = await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 780 } });
		try {
			const session = await context.request.post(`${app.server.url}/api/session`, { data: { username: 'demo-community', password: 'demo' }, headers: { origin: app.server.url } });
			expect(session.status()).toBe(200);
			const posted = await context.request.post(`${app.server.url}/api/meetings`, {
				headers: { origin: app.server.url },
				data: {
					community_code: COMMUNITY,
					held_on: '2026-11-20',
					place: '桂园林社区党群服务中心',
					attendees: ['驻区单位代表', '居民代表'],
					raised: [{ text: '江南小区3栋门口路灯不亮', lng, lat }, { text: '垃圾清运不及时' }],
					resolved: [{ text: '楼道杂物当场清理' }],
					agreements: [{ text: '共建协议：每季度一次志愿服务', parties: ['桂园林社区', '县住建局'] }]
				}
			});
			expect(posted.status(), await posted.text()).toBe(201);
			const { id } = await posted.json();

			const page = await context.newPage();
			const errors: string[] = [];
			page.on('pageerror', (e) => errors.push(e.message));
			await page.goto(`${app.server.url}/meetings/${id}`);
			await hydrated(page);
			await expect.poll(() => page.textContent('[data-testid="raised"]')).toContain('路灯不亮');
			const matter = page.locator('[data-testid="raised"] li[data-n="1"]');
			await matter.getByRole('button', { name: '转为案件' }).click();
			await matter.locator('select').selectOption('infrastructure');
			await matter.getByRole('button', { name: '立案' }).click();
			const link = matter.locator('[data-testid="case-link"]');
			await link.waitFor();
			const code = (await link.textContent())!.trim();
			expect(code).toMatch(/^C\d{8}$/);
			expect(await link.getAttribute('href')).toBe(`/cases/${code}`);
			// The matter without a point still offers the button; the first no longer does.
			expect(await page.locator('[data-testid="raised"] li[data-n="2"]').getByRole('button', { name: '转为案件' }).count()).toBe(1);
			expect(await matter.getByRole('button', { name: '转为案件' }).count()).toBe(0);
			// Nothing wider than the phone.
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

			const { rows: cases } = await app.t.db.knex.raw(
				`SELECT i.source, i.category, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat, m.n
				 FROM issues i JOIN meeting_matters m ON m.issue_id = i.id WHERE i.code = :code AND m.activity_id = :id`,
				{ code, id }
			);
			expect(cases).toHaveLength(1);
			expect(cases[0]).toMatchObject({ source: 'joint_meeting', category: 'infrastructure', n: 1 });
			expect(Number(cases[0].lng)).toBeCloseTo(lng, 9);
			expect(Number(cases[0].lat)).toBeCloseTo(lat, 9);

			// The link opens the case.
			await link.click();
			await page.waitForURL(`**/cases/${code}`);
			// The community's page lists the meeting among its records.
			await page.goto(`${app.server.url}/communities/${COMMUNITY}/three-ones?year=2026`);
			await hydrated(page);
			expect(await page.locator(`[data-testid="records"] a[href="/meetings/${id}"]`).count()).toBe(1);
			await page.goto(`${app.server.url}/three-ones?year=2026`);
			expect(await page.locator(`tr[data-code="${COMMUNITY}"]`).count()).toBe(1);
			expect(errors).toEqual([]);
		} finally {
			await context.close();
		}
	}, 180_000);
});
