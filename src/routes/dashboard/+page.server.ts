import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';
import * as dashboard from '$lib/server/governance/dashboard';
import { readPeriod } from '$lib/server/http/dashboard';
import { caseFigures } from '$lib/server/cases/dashboard-cases';
import { DASHBOARD_FIGURES, type DashboardFigure } from '$lib/domain/dashboard';
import { chinaDay } from '$lib/domain/work-calendar';

/**
 * The county dashboard (issue 14, part 6): the figures of a period and, when one is chosen
 * (`figure`), the records behind it, optionally in one community (`community`). A period
 * that is not one (from after to, a day that does not exist) is the reader's slip: its 400.
 */
export const load = pageLoad({ signIn: true, backWithQuery: true }, async ({ db, user, scope, url }) => {
	const raw = url.searchParams.get('figure');
	const figure = (DASHBOARD_FIGURES as readonly string[]).includes(raw ?? '') ? (raw as DashboardFigure) : null;
	const community = url.searchParams.get('community') || undefined;
	const period = readPeriod(url.searchParams);
	const [summary, list, cases] = await Promise.all([
		dashboard.dashboard(db.knex, user, scope, period),
		figure ? dashboard.records(db.knex, user, scope, period, figure, community) : null,
		caseFigures(db.knex, scope, period)
	]);
	return { ...summary, figure, list, cases, today: chinaDay(), testHooks: env.MAP_TEST_HOOKS === '1' };
});
