import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as boundaries from '$lib/server/boundaries';
import { readBoundary } from '$lib/server/boundary-input';
import { mayManage } from '$lib/server/manage';

/** Apply an outline from an effective date (today or earlier) with a reason, in one transaction. */
export async function POST({ request, locals }) {
	if (!locals.user) error(401, 'sign in to change boundaries');
	const input = await readBoundary(request);
	const { effective_date: effective, reason } = input.body;
	const today = new Date().toISOString().slice(0, 10);
	if (typeof effective !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(effective) || Number.isNaN(Date.parse(effective))) {
		error(400, 'effective_date must be a date YYYY-MM-DD');
	}
	if (effective > today) error(400, `effective_date ${effective} is in the future; apply it on the day`);
	if (typeof reason !== 'string' || !reason.trim()) error(400, 'reason is required: say why the boundary changes');
	const db = await appDatabase();
	await mayManage(db.knex, locals.user, input.level, input.code);
	try {
		return json(await boundaries.apply(db.knex, locals.user, input.level, input.code, input.geometry, effective, reason.trim()));
	} catch (e) {
		if (e instanceof boundaries.BoundaryError) error(e.status, e.message);
		throw e;
	}
}
