import { pageLoad } from '$lib/server/http/pages';
import * as flood from '$lib/server/flood/flood';
import * as rainAlerts from '$lib/server/flood/rain-alerts';
import { may } from '$lib/server/accounts/permissions';

/**
 * The flood spots the caller may read, the alert on now (if any) with its progress per grid;
 * for those who may switch one on while none is, the default scope and the communities and
 * grids to limit it to.
 */
export const load = pageLoad({ signIn: true }, async ({ db, user, scope }) => {
	const spots = await flood.list(db.knex, scope);
	const alerts = await rainAlerts.alerts(db.knex, user, scope, undefined, 1);
	const current = alerts[0]?.ended_at === null ? alerts[0] : null;
	const progress = current ? await rainAlerts.progress(db.knex, user, scope, current.id) : [];
	const mayAlert = may(user, 'rain-alert.switch');
	return {
		user: { username: user.username, role: user.role },
		spots,
		current,
		progress,
		mayAlert,
		defaultScope: rainAlerts.defaultScope(),
		areas: mayAlert && !current ? await rainAlerts.alertAreas(db.knex) : []
	};
});
