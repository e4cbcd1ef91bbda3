import { error, redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import { forPage } from '$lib/server/http/pages';
import * as cases from '$lib/server/cases/cases';
import { escalationTargets } from '$lib/server/cases/escalation-targets';

/** One case as its page shows it, with the departments to escalate to (its community's liaisons first) when the caller may. */
export async function load({ params, locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const db = await appDatabase();
	const record = await forPage(cases.read(db.knex, locals.user, await scopeFor(db.knex, locals.user), params.code));
	if (!record) error(404, `no case with code '${params.code}'`);
	const departments = record.allowed.includes('escalated') ? await escalationTargets(db.knex, record.code) : [];
	return { user: { username: locals.user.username, role: locals.user.role }, record, departments };
}
