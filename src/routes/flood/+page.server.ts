import { redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import * as flood from '$lib/server/flood/flood';
import * as rainAlerts from '$lib/server/flood/rain-alerts';
import { may } from '$lib/server/accounts/permissions';

/**
 * The flood spots the caller may read, the alert on now (if any) with its progress per grid;
 * for those who may switch one on while none is, the default scope and the communities and
 * grids to limit it to.
 */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	const spots = await flood.list(db.knex, scope);
	const alerts = await rainAlerts.alerts(db.knex, locals.user, scope, undefined, 1);
	const current = alerts[0]?.ended_at === null ? alerts[0] : null;
	const progress = current ? await rainAlerts.progress(db.knex, locals.user, scope, current.id) : [];
	const mayAlert = may(locals.user, 'rain-alert.switch');
	return {
		user: { username: locals.user.username, role: locals.user.role },
		spots,
		current,
		progress,
		mayAlert,
		defaultScope: rainAlerts.defaultScope(),
		areas: mayAlert && !current ? await rainAlerts.alertAreas(db.knex) : []
	};
}
