import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import * as threeOnes from '$lib/server/governance/three-ones';
import { chinaDay } from '$lib/domain/work-calendar';

/** One community's 三个一 in a year, its records, and whether the caller may record. */
export const load = pageLoad({ signIn: true, backWithQuery: true }, async ({ db, user, scope, url, params }) => {
	const today = chinaDay();
	const thisYear = Number(today.slice(0, 4));
	const raw = url.searchParams.get('year');
	const year = raw === null || raw === '' ? thisYear : Number(raw);
	if (!Number.isInteger(year) || year < threeOnes.MIN_YEAR || year > threeOnes.MAX_YEAR) error(400, `year must be a whole number from ${threeOnes.MIN_YEAR} to ${threeOnes.MAX_YEAR}`);
	const community = await threeOnes.forCommunity(db.knex, scope, params.code, year, today);
	if (!community) error(404, `no community with code '${params.code}'`);
	return { year, thisYear, today, community, canRecord: await threeOnes.canRecord(db.knex, user, scope, params.code) };
});
