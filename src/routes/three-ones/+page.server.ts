import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import * as threeOnes from '$lib/server/governance/three-ones';
import { whoseTerritory } from '$lib/server/ownership/territory-areas';
import { chinaDay } from '$lib/domain/work-calendar';

/** The table of 三个一 for a year: every community the caller may read, and whose they are (the county's, a department's, a community's). */
export const load = pageLoad({ signIn: true, backWithQuery: true }, async ({ db, user, scope, url }) => {
	const thisYear = Number(chinaDay().slice(0, 4));
	const raw = url.searchParams.get('year');
	const year = raw === null || raw === '' ? thisYear : Number(raw);
	if (!Number.isInteger(year) || year < threeOnes.MIN_YEAR || year > threeOnes.MAX_YEAR) error(400, `year must be a whole number from ${threeOnes.MIN_YEAR} to ${threeOnes.MAX_YEAR}`);
	const [rows, whose] = await Promise.all([threeOnes.table(db.knex, scope, year), whoseTerritory(db.knex, user, scope)]);
	return { year, thisYear, rows, whose };
});
