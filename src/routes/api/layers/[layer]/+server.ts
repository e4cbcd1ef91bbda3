import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as overview from '$lib/server/outlines';

/** An outline layer as GeoJSON (data layers come as territory-filtered vector tiles). */
export async function GET({ params }) {
	if (!overview.isOverviewLayer(params.layer)) {
		error(400, `unknown layer '${params.layer}'; known: ${overview.OVERVIEW_LAYERS.join(', ')}`);
	}
	const db = await appDatabase();
	return json(await overview.featureCollection(db.knex, params.layer), {
		headers: { 'cache-control': 'no-cache' }
	});
}
