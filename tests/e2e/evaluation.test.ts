/**
 * 考核评价 in a browser (issue 14, part 5): the xlsx the page's export button downloads,
 * parsed back with exceljs, has one row per community (and one per department) with the same
 * numbers as the page's table read in Chromium and as the JSON; the CSV parsed back likewise;
 * the map colours every community; a community admin edits their self-report at 360 px.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PAGE_DEFAULTS, hydrated, signInThroughForm, useBrowserApp } from '../helpers/browser.js';
import { COMMUNITY_COLUMNS, DEPARTMENT_COLUMNS } from '../../src/lib/server/governance/evaluation.js';

const app = useBrowserApp({ MAP_TEST_HOOKS: '1' });
const YEAR = 2026;

type Row = Record<string, string | number | null>;

/** What the page shows in each [data-field] of each row of a table, by code. */
async function pageTable(page: Page, testid: string): Promise<Map<string, Record<string, string>>> {
	const rows = await page.$$eval(`[data-testid="${testid}"] tbody tr`, (trs) =>
		trs.map((tr) => ({
			code: (tr as HTMLElement).dataset.code!,
			fields: Object.fromEntries([...tr.querySelectorAll<HTMLElement>('[data-field]')].map((el) => [el.dataset.field!, el.textContent!.trim()]))
		}))
	);
	return new Map(rows.map((r) => [r.code, r.fields]));
}

/** A cell as the page writes it. */
const shown = (v: unknown) => (v === null || v === undefined ? '—' : String(v));

/** RFC 4180 CSV, enough for what csv.ts writes (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
			else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') row.push(cell), (cell = '');
		else if (ch === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			(row = []), (cell = ''), i++;
		} else cell += ch;
	}
	return rows;
}

describe('/evaluation', () => {
	it('the xlsx and CSV exports hold one row per community with the numbers of the page and the JSON', async () => {
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, acceptDownloads: true })).newPage();
		await page.goto(`${app.server.url}/evaluation?year=${YEAR}`);
		await signInThroughForm(page, 'demo-admin');
		await page.waitForSelector('[data-testid="community-table"] tbody tr');
		await hydrated(page);
		const shownCommunities = await pageTable(page, 'community-table');
		const shownDepartments = await pageTable(page, 'department-table');
		const json = await (await page.request.get(`${app.server.url}/api/evaluation?year=${YEAR}`)).json();
		const communities = Number((await app.t.db.knex('communities').count({ n: '*' }))[0].n);
		expect(json.communities).toHaveLength(communities);
		expect(shownCommunities.size).toBe(communities);
		expect(shownDepartments.size).toBe(json.departments.length);

		// The page shows the JSON's numbers.
		let compared = 0;
		for (const [list, table] of [[json.communities, shownCommunities], [json.departments, shownDepartments]] as const) {
			for (const row of list as Row[]) {
				const cells = table.get(row.code as string)!;
				expect(Object.keys(cells).length).toBeGreaterThan(10);
				for (const [field, text] of Object.entries(cells)) {
					expect(text, `${row.code} ${field}`).toBe(field === 'self_report' ? (row[field] ?? '') : shown(row[field]));
					compared++;
				}
			}
		}
		expect(compared).toBeGreaterThan(500);
		expect(json.communities.some((c: Row) => c.county_score === 92.5)).toBe(true);

		// The xlsx the export button downloads.
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-xlsx"]')]);
		expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ExcelJS.Buffer);
		for (const [name, columns, list, table] of [
			['社区', COMMUNITY_COLUMNS, json.communities, shownCommunities],
			['部门', DEPARTMENT_COLUMNS, json.departments, shownDepartments]
		] as const) {
			const ws = book.getWorksheet(name)!;
			expect(ws, name).toBeTruthy();
			const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
			expect(values(1)).toEqual(columns.map(([, label]) => label));
			expect(ws.actualRowCount, name).toBe(list.length + 1);
			const byCode = new Map((list as Row[]).map((r) => [r.code, r]));
			for (let n = 2; n <= ws.actualRowCount; n++) {
				const cells = values(n);
				const code = cells[0] as string;
				const row = byCode.get(code)!;
				expect(row, code).toBeTruthy();
				columns.forEach(([field], i) => {
					const cell = cells[i] ?? null;
					expect(cell, `${name} ${code} ${field}`).toEqual(row[field] ?? null);
					const onPage = table.get(code)![field];
					if (onPage !== undefined) expect(field === 'self_report' ? (cell ?? '') : shown(cell), `${code} ${field} on the page`).toBe(onPage);
				});
				byCode.delete(code);
			}
			expect(byCode.size, `${name}: one row each`).toBe(0);
		}

		// The CSV: UTF-8 with a BOM, one community a row, the same numbers.
		const csvReply = await page.request.get(`${app.server.url}/api/evaluation/export?year=${YEAR}&format=csv`);
		expect(csvReply.headers()['content-type']).toMatch(/^text\/csv/);
		expect(csvReply.headers()['content-disposition']).toMatch(/attachment; filename="evaluation-2026\.csv"/);
		const text = (await csvReply.body()).toString('utf8');
		expect(text.charCodeAt(0)).toBe(0xfeff);
		const [header, ...lines] = parseCsv(text.slice(1));
		expect(header).toEqual(COMMUNITY_COLUMNS.map(([, label]) => label));
		expect(lines).toHaveLength(communities);
		expect(new Set(lines.map((l) => l[0])).size).toBe(communities);
		for (const line of lines) {
			const row = (json.communities as Row[]).find((r) => r.code === line[0])!;
			COMMUNITY_COLUMNS.forEach(([field], i) => {
				expect(line[i], `${line[0]} ${field}`).toBe(row[field] === null ? '' : String(row[field]));
				const onPage = shownCommunities.get(line[0])![field];
				if (onPage !== undefined && field !== 'self_report') expect(line[i] === '' ? '—' : line[i]).toBe(onPage);
			});
		}

		// The choropleth colours every community by its score.
		await page.waitForSelector('[data-testid="map"][data-map-ready="true"]');
		const features = await page.waitForFunction((n) => {
			const map = (window as unknown as { __map: { getSource(id: string): { serialize(): { data: { features: { properties: { score: unknown } }[] } } } | undefined } }).__map;
			const data = map.getSource('evaluation-communities')?.serialize().data;
			return data && data.features.length === n ? data.features.map((f) => f.properties.score) : null;
		}, communities);
		expect(((await features.jsonValue()) as unknown[]).sort()).toEqual(json.communities.map((c: Row) => c.combined_score).sort());
	});

	it('a community admin edits their self-report at 360 px', async () => {
		const page = await (await app.browser.newContext({ ...PAGE_DEFAULTS, viewport: { width: 360, height: 740 } })).newPage();
		await page.goto(`${app.server.url}/evaluation`);
		await signInThroughForm(page, 'demo-community');
		await page.waitForSelector('[data-testid="community-table"] tbody tr');
		await hydrated(page);
		const rows = page.locator('[data-testid="community-table"] tbody tr');
		expect(await rows.count()).toBe(1);
		expect(await page.locator('[data-testid="department-table"]').count()).toBe(0);
		const code = await rows.first().getAttribute('data-code');
		await rows.first().locator('[data-testid="edit"]').click();
		await page.waitForSelector('[data-testid="evaluation-form"] textarea');
		expect(await page.locator('[data-testid="evaluation-form"] input[name="county_score"]').count()).toBe(0);
		const report = '全年走访群众 300 户，联席会议题全部办结。';
		await page.fill('[data-testid="evaluation-form"] textarea', report);
		await page.click('[data-testid="evaluation-form"] button[type="submit"]');
		await page.waitForSelector('[data-testid="evaluation-form"] .ok');
		expect(await rows.first().locator('[data-field="self_report"]').textContent()).toBe(report);
		const stored = await app.t.db.knex('evaluations').join('communities', 'communities.id', 'evaluations.community_id').where({ 'communities.code': code, year: YEAR }).first('self_report', 'updated_by');
		expect(stored).toEqual({ self_report: report, updated_by: 'demo-community' });
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.screenshot({ path: 'test-results/evaluation-360.png', fullPage: true });
	});
});
