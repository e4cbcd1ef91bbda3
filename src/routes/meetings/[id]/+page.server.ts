import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import * as threeOnes from '$lib/server/governance/three-ones';

/** A joint meeting's record, and the case categories a matter may become. */
export const load = pageLoad({ signIn: true }, async ({ db, user, scope, params }) => {
	const id = Number(params.id);
	if (!/^\d{1,10}$/.test(params.id) || id < 1 || id > 2_147_483_647) error(404, `no meeting ${params.id}`);
	const meeting = await threeOnes.meeting(db.knex, user, scope, id);
	if (!meeting) error(404, `no meeting ${params.id}`);
	const categories = meeting.can_record ? await threeOnes.matterCategories(db.knex) : [];
	return { meeting, categories };
});
