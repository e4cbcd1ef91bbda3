import { json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as issues from '$lib/server/issues';
import { scopeFor } from '$lib/server/territory';
import { bboxParam } from '$lib/server/bbox';
import { intParam } from '$lib/server/http';

/** Issues in a bounding box that the caller may read. */
export async function GET({ url, locals }) {
	const bbox = bboxParam(url.searchParams);
	const limit = intParam(url.searchParams, 'limit', 200, 1, issues.MAX_LIST);
	const db = await appDatabase();
	return json(await issues.list(db.knex, await scopeFor(db.knex, locals.user), bbox, limit));
}
