import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as people from '$lib/server/people';
import { readDate, readReason } from '$lib/server/assignment-input';
import { mayManageAssignment } from '$lib/server/manage';

/** End an assignment: {"valid_to"?, "reason"}; the row stays as history. */
export async function POST({ params, request, locals }) {
	if (!locals.user) error(401, 'sign in to unassign');
	if (!/^\d+$/.test(params.id)) error(400, `assignment id '${params.id}' must be a whole number`);
	let body: Record<string, unknown>;
	try {
		body = (await request.json()) ?? {};
	} catch {
		error(400, 'the body must be JSON');
	}
	const reason = readReason(body);
	const validTo = readDate(body, 'valid_to');
	const db = await appDatabase();
	await mayManageAssignment(db.knex, locals.user, Number(params.id));
	try {
		await people.unassign(db.knex, Number(params.id), validTo, reason, locals.user.username);
		return json({ id: Number(params.id), valid_to: validTo });
	} catch (e) {
		if (e instanceof people.AssignmentError) error(e.status, e.message);
		throw e;
	}
}
