import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import * as people from '$lib/server/ownership/people';

export const load = pageLoad({ signIn: true }, async ({ db, scope, params }) => {
	const person = await people.person(db.knex, scope, params.code);
	if (!person) error(404, 'Not found');
	return { person };
});
