import { error, redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import * as threeOnes from '$lib/server/governance/three-ones';

/** A joint meeting's record, and the case categories a matter may become. */
export async function load({ locals, url, params }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const id = Number(params.id);
	if (!/^\d{1,10}$/.test(params.id) || id < 1 || id > 2_147_483_647) error(404, `no meeting ${params.id}`);
	const db = await appDatabase();
	const meeting = await threeOnes.meeting(db.knex, locals.user, await scopeFor(db.knex, locals.user), id);
	if (!meeting) error(404, `no meeting ${params.id}`);
	const categories = meeting.can_record ? ((await db.knex('case_categories').where({ active: true }).orderBy('sort').pluck('code')) as string[]) : [];
	return { meeting, categories };
}
