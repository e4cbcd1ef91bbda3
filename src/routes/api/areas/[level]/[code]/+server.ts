import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as areas from '$lib/server/areas';

export async function GET({ params }) {
	if (!areas.isAreaLevel(params.level)) error(400, `unknown level '${params.level}'; known: ${areas.AREA_LEVELS.join(', ')}`);
	const db = await appDatabase();
	const area = await areas.summary(db.knex, params.level, params.code);
	if (!area) error(404, `no ${params.level} with code '${params.code}'`);
	return json(area);
}
