import { appDatabase } from '$lib/server/app-database';
import * as issues from '$lib/server/issues';
import { scopeFor } from '$lib/server/territory';
import { bboxParam } from '$lib/server/bbox';

/** Export of the issues in a bounding box the caller may read, as CSV (UTF-8 with BOM). */
export async function GET({ url, locals }) {
	const bbox = bboxParam(url.searchParams);
	const db = await appDatabase();
	const csv = await issues.exportCsv(db.knex, await scopeFor(db.knex, locals.user), bbox);
	return new Response(csv, {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="issues.csv"' }
	});
}
