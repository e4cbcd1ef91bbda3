import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as areas from '$lib/server/areas';
import * as people from '$lib/server/people';
import { scopeFor } from '$lib/server/territory';

/** The roster of an area: the 4+N of a community, the 两长两员 of a building. */
export async function GET({ params, locals }) {
	if (!areas.isAreaLevel(params.level)) error(400, `unknown level '${params.level}'; known: ${areas.AREA_LEVELS.join(', ')}`);
	if (!locals.user) error(401, 'sign in to see people');
	const db = await appDatabase();
	// The area must be one the caller may see (its summary says so).
	if (!(await areas.summary(db.knex, params.level, params.code, await scopeFor(db.knex, locals.user)))) {
		error(404, `no ${params.level} with code '${params.code}'`);
	}
	return json(await people.roster(db.knex, params.level, params.code));
}
