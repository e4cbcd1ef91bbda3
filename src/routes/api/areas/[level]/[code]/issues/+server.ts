import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as areas from '$lib/server/areas';
import { scopeFor } from '$lib/server/territory';
import { enumParam, intParam } from '$lib/server/http';
import { ISSUE_CATEGORIES, ISSUE_STATUSES } from '$lib/domain/sample';

export async function GET({ params, url, locals }) {
	if (!areas.isAreaLevel(params.level)) error(400, `unknown level '${params.level}'; known: ${areas.AREA_LEVELS.join(', ')}`);
	const filter = {
		status: enumParam(url.searchParams, 'status', ISSUE_STATUSES),
		category: enumParam(url.searchParams, 'category', ISSUE_CATEGORIES),
		page: intParam(url.searchParams, 'page', 1, 1, 100_000),
		limit: intParam(url.searchParams, 'limit', 20, 1, 100)
	};
	if (!locals.user) error(401, 'sign in to see issues');
	const db = await appDatabase();
	const page = await areas.issues(db.knex, params.level, params.code, filter, await scopeFor(db.knex, locals.user));
	if (!page) error(404, `no ${params.level} with code '${params.code}'`);
	return json(page);
}
