import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as people from '$lib/server/people';
import { scopeFor } from '$lib/server/territory';

/** A person: roles (current and past) and territory. Signed-in only; a territory sees its own people. */
export async function GET({ params, locals }) {
	if (!locals.user) error(401, 'sign in to see people');
	const db = await appDatabase();
	const person = await people.person(db.knex, await scopeFor(db.knex, locals.user), params.code);
	if (!person) error(404, `no person with code '${params.code}'`);
	return json(person);
}
