/**
 * An accessibility check in the suite (issue 21): axe-core in Chromium finds no serious or
 * critical WCAG 2.1 A/AA violation on the pages of each role's journey — the resident and the
 * grid worker on a 360 px phone, the others at 1440 px. Pages are checked once their data has
 * arrived (the main heading is there and the network is idle), in Chinese.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, useBrowserApp } from '../helpers/browser.js';
import { seriousViolations, type AxeFinding } from '../helpers/axe.js';

const app = useBrowserApp();
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1440, height: 900 } };

/** Codes the dynamic pages need, read from the sample. */
async function sampleCodes() {
	const knex = app.t.db.knex;
	const community = await knex('communities').where({ code: '510522100006' }).first('code');
	const aCase = await knex('issues').join('communities', 'communities.id', 'issues.handler_community_id').where('communities.code', community.code).orderBy('issues.code').first('issues.code');
	const department = await knex('departments').join('users', 'users.department_id', 'departments.id').where('users.username', 'demo-department').first('departments.code');
	const project = await knex('renovation_projects').orderBy('code').first('code');
	return { community: community.code as string, case: aCase.code as string, department: department.code as string, project: project?.code as string | undefined };
}

async function check(username: string | null, device: typeof PHONE | typeof DESKTOP, paths: string[]): Promise<Record<string, AxeFinding[]>> {
	// bypassCSP lets the test inject axe-core's script; the pages' own policy is tested elsewhere.
	const context = await app.browser.newContext({ ...PAGE_DEFAULTS, ...device, bypassCSP: true });
	if (username) expect((await context.request.post(`${app.server.url}/api/session`, { data: { username, password: 'demo' } })).status()).toBe(200);
	const page = await context.newPage();
	const found: Record<string, AxeFinding[]> = {};
	for (const path of paths) {
		const res = await page.goto(`${app.server.url}${path}`);
		expect(res?.status(), path).toBe(200);
		await page.waitForSelector('h1, h2');
		await page.waitForLoadState('networkidle');
		const violations = await seriousViolations(page);
		if (violations.length) found[path] = violations;
	}
	await context.close();
	return found;
}

describe('no serious or critical accessibility violation on the journeys’ pages (axe-core)', () => {
	it('the resident and the grid worker, on a 360 px phone', async () => {
		const resident = await check(null, PHONE, ['/report', '/login']);
		const worker = await check('demo-grid', PHONE, ['/me', '/flood/inspection']);
		expect({ ...resident, ...worker }).toEqual({});
	});

	it('the community admin and the department, at 1440 px', async () => {
		const codes = await sampleCodes();
		const community = await check('demo-community', DESKTOP, ['/cases', `/cases/${codes.case}`, '/three-ones', `/communities/${codes.community}/three-ones`, '/service-lists', '/dual-reporting']);
		const department = await check('demo-department', DESKTOP, ['/departments', `/departments/${codes.department}`]);
		expect({ ...community, ...department }).toEqual({});
	});

	it('the planner, the housing bureau and the administrator, at 1440 px', async () => {
		const codes = await sampleCodes();
		const planner = await check('demo-planner', DESKTOP, ['/', '/dashboard', '/flood', '/evaluation']);
		const housing = await check('demo-housing', DESKTOP, ['/renovation', ...(codes.project ? [`/renovation/${codes.project}`] : []), '/renovation/new']);
		const admin = await check('demo-admin', DESKTOP, ['/admin/cases', '/admin/accounts', '/admin/tokens']);
		expect({ ...planner, ...housing, ...admin }).toEqual({});
	});
});
