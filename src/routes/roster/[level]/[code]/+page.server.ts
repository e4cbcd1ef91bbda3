import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import * as areas from '$lib/server/areas/areas';
import * as people from '$lib/server/ownership/people';
import { parseJson } from '$lib/server/platform/json-text';
import { may } from '$lib/server/accounts/permissions';

export const load = pageLoad({ signIn: true }, async ({ db, user, scope, params }) => {
	if (!areas.isAreaLevel(params.level)) error(404, 'Not found');
	const area = parseJson(await areas.summary(db.knex, params.level, params.code, scope));
	if (!area) error(404, 'Not found');
	const roster = await people.roster(db.knex, params.level, params.code);
	const canManage = may(user, 'roster.edit');
	return { area: { level: area.level, code: area.code, name: area.name, parents: area.parents }, roster, canManage };
});
