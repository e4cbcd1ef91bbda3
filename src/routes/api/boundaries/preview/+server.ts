import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as boundaries from '$lib/server/boundaries';
import { readBoundary } from '$lib/server/boundary-input';
import { mayManage } from '$lib/server/manage';

/** What would change owner if the area took this outline; writes nothing. */
export async function POST({ request, locals }) {
	if (!locals.user) error(401, 'sign in to change boundaries');
	const input = await readBoundary(request);
	const db = await appDatabase();
	await mayManage(db.knex, locals.user, input.level, input.code);
	try {
		return json(await boundaries.preview(db.knex, locals.user, input.level, input.code, input.geometry));
	} catch (e) {
		if (e instanceof boundaries.BoundaryError) error(e.status, e.message);
		throw e;
	}
}
