import { error, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import { isApiError } from '$lib/server/platform/errors';
import * as dashboard from '$lib/server/governance/dashboard';
import { caseFigures } from '$lib/server/cases/dashboard-cases';
import { DASHBOARD_FIGURES, type DashboardFigure } from '$lib/domain/dashboard';
import { chinaDay } from '$lib/domain/work-calendar';

/**
 * The county dashboard (issue 14, part 6): the figures of a period and, when one is chosen
 * (`figure`), the records behind it, optionally in one community (`community`).
 */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	const raw = url.searchParams.get('figure');
	const figure = (DASHBOARD_FIGURES as readonly string[]).includes(raw ?? '') ? (raw as DashboardFigure) : null;
	const community = url.searchParams.get('community') || undefined;
	try {
		const period = dashboard.readPeriod(url.searchParams);
		const [summary, list, cases] = await Promise.all([
			dashboard.dashboard(db.knex, locals.user, scope, period),
			figure ? dashboard.records(db.knex, locals.user, scope, period, figure, community) : null,
			caseFigures(db.knex, scope, period)
		]);
		return { ...summary, figure, list, cases, today: chinaDay(), testHooks: env.MAP_TEST_HOOKS === '1' };
	} catch (e) {
		// A period that is not one (from after to, a day that does not exist) is the reader's slip.
		if (isApiError(e) && e.status < 500) error(e.status, e.message);
		throw e;
	}
}
