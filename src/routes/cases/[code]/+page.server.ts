import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import * as cases from '$lib/server/cases/cases';
import { escalationTargets } from '$lib/server/cases/escalation-targets';

/** One case as its page shows it, with the departments to escalate to (its community's liaisons first) when the caller may. */
export const load = pageLoad({ signIn: true }, async ({ db, user, scope, params }) => {
	const record = await cases.read(db.knex, user, scope, params.code);
	if (!record) error(404, `no case with code '${params.code}'`);
	const departments = record.allowed.includes('escalated') ? await escalationTargets(db.knex, record.code) : [];
	return { user: { username: user.username, role: user.role }, record, departments };
});
