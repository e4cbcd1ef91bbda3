import { redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import { communityOutlines } from '$lib/server/ownership/territory-areas';
import { isCalendarDay } from '$lib/server/http/params';
import * as dualReporting from '$lib/server/governance/dual-reporting';
import * as serviceLists from '$lib/server/governance/service-lists';

/** 双报到 (issue 14, part 4): the figures, unclaimed demands and service items the caller may read. */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	const day = (name: string) => {
		const v = url.searchParams.get(name);
		return v && isCalendarDay(v) ? v : undefined;
	};
	let period = { from: day('from'), to: day('to') };
	if (period.from && period.to && period.from > period.to) period = { from: undefined, to: undefined };
	const [summary, items, openDemands, choices, outlines] = await Promise.all([
		dualReporting.summary(db.knex, locals.user, scope, period),
		dualReporting.listItems(db.knex, locals.user, scope),
		serviceLists.listDemands(db.knex, locals.user, scope, { status: 'open' }),
		dualReporting.formChoices(db.knex, locals.user),
		communityOutlines(db.knex, scope)
	]);
	return { summary, items, openDemands, choices, outlines, testHooks: env.MAP_TEST_HOOKS === '1' };
}
