import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';
import { communityOutlines } from '$lib/server/ownership/territory-areas';
import { isCalendarDay } from '$lib/server/http/params';
import * as dualReporting from '$lib/server/governance/dual-reporting';
import * as serviceLists from '$lib/server/governance/service-lists';

/** 双报到 (issue 14, part 4): the figures, unclaimed demands and service items the caller may read. */
export const load = pageLoad({ signIn: true, backWithQuery: true }, async ({ db, user, scope, url }) => {
	const day = (name: string) => {
		const v = url.searchParams.get(name);
		return v && isCalendarDay(v) ? v : undefined;
	};
	let period = { from: day('from'), to: day('to') };
	if (period.from && period.to && period.from > period.to) period = { from: undefined, to: undefined };
	const [summary, items, openDemands, choices, outlines] = await Promise.all([
		dualReporting.summary(db.knex, user, scope, period),
		dualReporting.listItems(db.knex, user, scope),
		serviceLists.listDemands(db.knex, user, scope, { status: 'open' }),
		dualReporting.formChoices(db.knex, user),
		communityOutlines(db.knex, scope)
	]);
	return { summary, items, openDemands, choices, outlines, testHooks: env.MAP_TEST_HOOKS === '1' };
});
