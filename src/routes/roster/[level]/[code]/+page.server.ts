import { error, redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import * as areas from '$lib/server/areas/areas';
import * as people from '$lib/server/ownership/people';
import { scopeFor } from '$lib/server/ownership/territory';
import { parseJson } from '$lib/server/platform/json-text';
import { may } from '$lib/server/accounts/permissions';

export async function load({ params, locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (!areas.isAreaLevel(params.level)) error(404, 'Not found');
	const db = await appDatabase();
	const area = parseJson(await areas.summary(db.knex, params.level, params.code, await scopeFor(db.knex, locals.user)));
	if (!area) error(404, 'Not found');
	const roster = await people.roster(db.knex, params.level, params.code);
	const canManage = may(locals.user, 'roster.edit');
	return { area: { level: area.level, code: area.code, name: area.name, parents: area.parents }, roster, canManage };
}
