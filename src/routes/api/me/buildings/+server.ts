import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as myBuildings from '$lib/server/my-buildings';
import { scopeFor } from '$lib/server/territory';
import { numberParam } from '$lib/server/http';

/** My buildings, nearest first from ?lng&lat when given. */
export async function GET({ url, locals }) {
	if (!locals.user) error(401, 'sign in to see your buildings');
	const hasPosition = url.searchParams.has('lng') || url.searchParams.has('lat');
	const from: [number, number] | null = hasPosition
		? [numberParam(url.searchParams, 'lng', -180, 180), numberParam(url.searchParams, 'lat', -90, 90)]
		: null;
	const db = await appDatabase();
	return json({ buildings: await myBuildings.list(db.knex, await scopeFor(db.knex, locals.user), from) });
}
