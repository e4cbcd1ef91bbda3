/**
 * The boundary editor in a real browser: an admin opens a grid, uploads a new outline, sees
 * the impact (the same buildings the preview API names), gives a reason, and applies it.
 */
import { describe, expect, it } from 'vitest';
import { transformTranslate } from '@turf/turf';
import { PAGE_DEFAULTS, signInThroughForm, useBrowserApp } from '../helpers/browser.js';
import * as boundaries from '../../src/lib/server/areas/boundaries.js';
import { systemAdmin } from '../../src/lib/server/accounts/accounts.js';

const app = useBrowserApp();

describe('boundary editor', () => {
	it('previews and applies an uploaded outline', async () => {
		const { rows } = await app.t.db.knex.raw(`SELECT code, ST_AsGeoJSON(geom) AS g FROM grids ORDER BY code OFFSET 20 LIMIT 1`);
		const code = rows[0].code;
		const moved = transformTranslate({ type: 'Feature', properties: {}, geometry: JSON.parse(rows[0].g) }, 250, 90, { units: 'meters' });
		const expected = await boundaries.preview(app.t.db.knex, systemAdmin(), 'grid', code, moved.geometry);
		expect(expected.buildings.length).toBeGreaterThan(0);

		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 1280, height: 800 } })).newPage();
		const foreign: string[] = [];
		page.on('request', (r) => {
			if (!r.url().startsWith(app.server.url) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
		});
		await page.goto(`${app.server.url}/boundaries/grid/${code}`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="boundary-map"][data-ready="true"]');
		await page.setInputFiles('input[type="file"]', {
			name: 'grid.geojson',
			mimeType: 'application/geo+json',
			buffer: Buffer.from(JSON.stringify(moved))
		});
		await page.click('[data-testid="boundary-preview"]');
		await page.waitForSelector('[data-testid="boundary-impact"], [role="alert"]');
		expect(await page.$eval('[role="alert"]', (e) => e.textContent).catch(() => null)).toBeNull();
		expect(await page.textContent('[data-testid="impact-buildings"]')).toContain(`楼栋变更 ${expected.buildings.length} 栋，${expected.households_moved} 户`);
		await page.screenshot({ path: 'test-results/boundary-editor.png' });
		await page.fill('[data-testid="boundary-reason"]', '按户数重划网格');
		await page.click('[data-testid="boundary-apply"]');
		await page.waitForSelector('text=已应用');
		const versions = await app.t.db.knex('boundary_versions').count({ n: '*' });
		expect(Number(versions[0].n)).toBe(1);
		const moves = expected.buildings.filter((b) => b.to === code).map((b) => b.code);
		const now = await app.t.db.knex('buildings as b').join('grids as g', 'g.id', 'b.grid_id').whereIn('b.code', moves).pluck('g.code');
		expect(new Set(now)).toEqual(new Set(moves.length ? [code] : []));
		expect(foreign).toEqual([]);
	});
});
