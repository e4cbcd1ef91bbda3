import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as search from '$lib/server/search';
import { scopeFor } from '$lib/server/territory';

/** GET /api/search?q=&limit= → { results: [{ kind, code, name, subtitle, bbox }] }, within the caller's scope */
export async function GET({ url, locals }) {
	let query: search.SearchQuery;
	try {
		query = search.parseQuery(url.searchParams);
	} catch (e) {
		if (e instanceof search.SearchInputError) error(400, e.message);
		throw e;
	}
	const db = await appDatabase();
	return json({ results: await search.search(db.knex, query, await scopeFor(db.knex, locals.user)) });
}
