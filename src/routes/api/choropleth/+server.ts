import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as choropleth from '$lib/server/choropleth';
import { readsData, scopeFor } from '$lib/server/territory';

/** GET /api/choropleth?level=grid|community&metric=issues_per_100_households|overdue, within the caller's scope */
export async function GET({ url, locals }) {
	let query: ReturnType<typeof choropleth.parseQuery>;
	try {
		query = choropleth.parseQuery(url.searchParams);
	} catch (e) {
		if (e instanceof choropleth.ChoroplethInputError) error(400, e.message);
		throw e;
	}
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	if (!readsData(scope)) error(401, 'sign in to see issue figures');
	return json(await choropleth.read(db.knex, query.level, query.metric, scope), {
		// Values change with every issue; the client asks again when it needs them.
		headers: { 'cache-control': 'no-cache' }
	});
}
