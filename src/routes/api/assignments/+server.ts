import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as people from '$lib/server/people';
import { readAssign } from '$lib/server/assignment-input';
import { mayManage } from '$lib/server/manage';

/** Assign a role: {"person_code", "role", "target_code", "valid_from"?, "reason"}. */
export async function POST({ request, locals }) {
	if (!locals.user) error(401, 'sign in to assign');
	let body: Record<string, unknown>;
	try {
		body = (await request.json()) ?? {};
	} catch {
		error(400, 'the body must be JSON');
	}
	const input = readAssign(body);
	const db = await appDatabase();
	await mayManage(db.knex, locals.user, people.ROLE_LEVEL[input.role], input.target_code);
	try {
		const id = await people.assign(db.knex, input, locals.user.username);
		return json({ id }, { status: 201 });
	} catch (e) {
		if (e instanceof people.AssignmentError) error(e.status, e.message);
		throw e;
	}
}
