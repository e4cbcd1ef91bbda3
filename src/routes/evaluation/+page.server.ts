import { error, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase } from '$lib/server/platform/app-database';
import { forPage } from '$lib/server/http/pages';
import { scopeFor } from '$lib/server/ownership/territory';
import * as evaluation from '$lib/server/governance/evaluation';
import { chinaDay } from '$lib/domain/work-calendar';

/** 考核评价 (issue 14, part 5): a year's evaluation of the communities and departments the caller may read. */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const thisYear = Number(chinaDay().slice(0, 4));
	const raw = url.searchParams.get('year');
	const year = raw === null || raw === '' ? thisYear : /^\d{4}$/.test(raw) ? Number(raw) : NaN;
	if (!(year >= evaluation.MIN_YEAR && year <= thisYear)) error(400, `year must be a year from ${evaluation.MIN_YEAR} to ${thisYear}`);
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	const [result, shapes] = await Promise.all([forPage(evaluation.table(db.knex, locals.user, scope, year)), evaluation.communityShapes(db.knex, scope)]);
	return { year, thisYear, result, shapes, testHooks: env.MAP_TEST_HOOKS === '1' };
}
