import { error, redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import * as people from '$lib/server/ownership/people';
import { scopeFor } from '$lib/server/ownership/territory';

export async function load({ params, locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const db = await appDatabase();
	const person = await people.person(db.knex, await scopeFor(db.knex, locals.user), params.code);
	if (!person) error(404, 'Not found');
	return { person };
}
