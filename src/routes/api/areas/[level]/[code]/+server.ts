import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as areas from '$lib/server/areas';
import { scopeFor } from '$lib/server/territory';

export async function GET({ params, locals }) {
	if (!areas.isAreaLevel(params.level)) error(400, `unknown level '${params.level}'; known: ${areas.AREA_LEVELS.join(', ')}`);
	const db = await appDatabase();
	const area = await areas.summary(db.knex, params.level, params.code, await scopeFor(db.knex, locals.user));
	if (!area) error(404, `no ${params.level} with code '${params.code}'`);
	return json(area);
}
