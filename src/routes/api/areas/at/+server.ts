import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as areas from '$lib/server/areas';
import { scopeFor } from '$lib/server/territory';
import { numberParam } from '$lib/server/http';

export async function GET({ url, locals }) {
	const lng = numberParam(url.searchParams, 'lng', -180, 180);
	const lat = numberParam(url.searchParams, 'lat', -90, 90);
	const level = url.searchParams.get('level') || undefined;
	if (level !== undefined && !areas.isAreaLevel(level)) error(400, `unknown level '${level}'; known: ${areas.AREA_LEVELS.join(', ')}`);
	const db = await appDatabase();
	const area = await areas.at(db.knex, lng, lat, level, await scopeFor(db.knex, locals.user));
	if (!area) error(404, `no ${level ?? 'area'} covers ${lng}, ${lat}`);
	return json(area);
}
