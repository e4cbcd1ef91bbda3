/**
 * 双报到 in a browser (issue 14, part 4): at 360 px, in Chinese, a community admin claims a
 * service item for a registered member of the community and records the hours; the figures on
 * top change by exactly what was recorded; the open demands nobody claimed are marked in red,
 * in the list and on the map; no sideways scrolling.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, signInThroughForm, useBrowserApp } from '../helpers/browser.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });

describe('/dual-reporting', () => {
	it('a community admin claims an item for a member and records hours at 360 px; unclaimed demands are marked', async () => {
		const knex = app.t.db.knex;
		const admin = await knex('users').where({ username: 'demo-community' }).first('person_id');
		const administered = `SELECT a.community_id FROM assignments a WHERE a.person_id = :p AND a.role IN ('community_secretary', 'first_secretary') AND a.valid_to IS NULL`;
		// An item of the admin's community with a free slot, and a member there who has not claimed it.
		const { rows } = await knex.raw(
			`SELECT i.id AS item, m.id AS member, m.name FROM service_items i JOIN party_members m ON m.community_id = i.community_id AND m.left_on IS NULL
			 WHERE i.community_id IN (${administered}) AND (SELECT count(*) FROM service_claims sc WHERE sc.item_id = i.id) < i.slots
				AND NOT EXISTS (SELECT 1 FROM service_claims sc WHERE sc.item_id = i.id AND sc.member_id = m.id)
			 ORDER BY i.id, m.id LIMIT 1`,
			{ p: admin.person_id }
		);
		expect(rows.length).toBe(1);
		const { item, member, name } = rows[0];
		const unclaimed = (await knex.raw(
			`SELECT count(*)::int AS n FROM demands d WHERE d.status = 'open' AND ST_Covers((SELECT ST_Union(c.geom) FROM communities c WHERE c.id IN (${administered})), d.geom)
				AND NOT EXISTS (SELECT 1 FROM service_projects p WHERE p.demand_id = d.id)
				AND NOT EXISTS (SELECT 1 FROM service_items i JOIN service_claims sc ON sc.item_id = i.id WHERE i.demand_id = d.id)`,
			{ p: admin.person_id }
		)).rows[0].n;
		expect(unclaimed).toBeGreaterThan(0);

		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } })).newPage();
		await page.goto(`${app.server.url}/dual-reporting`);
		await signInThroughForm(page, 'demo-community');
		await page.waitForSelector('[data-testid="figures"]');
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		expect(await page.textContent('h1')).toContain('双报到');

		// Unclaimed demands: marked in the list, counted in the heading, drawn on the map.
		expect(await page.locator('[data-testid="unclaimed"] li.unclaimed .badge').count()).toBe(unclaimed);
		expect(await page.textContent('[data-testid="unclaimed"] h2')).toContain(`未认领需求 ${unclaimed} 条`);
		const onMap = await page.waitForFunction(
			(n) => {
				const map = (window as unknown as { __map: { getSource(id: string): { serialize(): { data: { features: unknown[] } } } | undefined } }).__map;
				return map.getSource('dual-unclaimed')?.serialize().data.features.length === n;
			},
			unclaimed
		);
		expect(await onMap.jsonValue()).toBe(true);

		const figure = async (id: string) => Number(await page.textContent(`[data-testid="fig-${id}"]`));
		const before = { claimed: await figure('claimed'), done: await figure('done'), hours: await figure('hours'), people: await figure('people') };

		const row = page.locator(`[data-testid="items"] li[data-item="${item}"]`);
		await row.locator('[data-testid="claim-member"]').selectOption(String(member));
		await row.locator('[data-testid="claim-submit"]').click();
		const claimRow = row.locator('li[data-claim]', { hasText: name });
		await claimRow.waitFor();
		await page.waitForFunction((n) => Number(document.querySelector('[data-testid="fig-claimed"]')?.textContent) === n, before.claimed + 1);
		const claim = await knex('service_claims').where({ item_id: item, member_id: member }).first('id', 'recorded_by');
		expect(claim.recorded_by).toBe('demo-community');

		await claimRow.locator('[data-testid="record-open"]').click();
		await claimRow.locator('[data-testid="hours"]').fill('2.5');
		await claimRow.locator('[data-testid="people"]').fill('8');
		await claimRow.locator('[data-testid="record-submit"]').click();
		await page.waitForFunction((n) => Number(document.querySelector('[data-testid="fig-hours"]')?.textContent) === n, before.hours + 2.5);
		expect(await figure('done')).toBe(before.done + 1);
		expect(await figure('people')).toBe(before.people + 8);
		expect(await knex('service_claims').where({ id: claim.id }).first(knex.raw('hours::float8 AS hours'), 'people_served')).toEqual({ hours: 2.5, people_served: 8 });
		await page.click('[data-testid="tab-members"]');
		expect(await page.locator(`[data-testid="per-member"] tr[data-member="${member}"] td`).nth(5).textContent()).toBe('2.5');

		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.screenshot({ path: 'test-results/dual-reporting-360.png', fullPage: true });
	});
});
