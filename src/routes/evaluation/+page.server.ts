import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';
import * as evaluation from '$lib/server/governance/evaluation';
import { chinaDay } from '$lib/domain/work-calendar';

/** 考核评价 (issue 14, part 5): a year's evaluation of the communities and departments the caller may read. */
export const load = pageLoad({ signIn: true, backWithQuery: true }, async ({ db, user, scope, url }) => {
	const thisYear = Number(chinaDay().slice(0, 4));
	const raw = url.searchParams.get('year');
	const year = raw === null || raw === '' ? thisYear : /^\d{4}$/.test(raw) ? Number(raw) : NaN;
	if (!(year >= evaluation.MIN_YEAR && year <= thisYear)) error(400, `year must be a year from ${evaluation.MIN_YEAR} to ${thisYear}`);
	const [result, shapes] = await Promise.all([evaluation.table(db.knex, user, scope, year), evaluation.communityShapes(db.knex, scope)]);
	return { year, thisYear, result, shapes, testHooks: env.MAP_TEST_HOOKS === '1' };
});
