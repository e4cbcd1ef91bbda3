import { pageLoad } from '$lib/server/http/pages';
import * as rainAlerts from '$lib/server/flood/rain-alerts';

/** The rain alert on now and its inspection list as the caller may read it: a grid worker their grids. */
export const load = pageLoad({ signIn: true }, async ({ db, user, scope }) => {
	const [latest] = await rainAlerts.alerts(db.knex, user, scope, undefined, 1);
	const alert = latest?.ended_at === null ? latest : null;
	const grids = alert ? rainAlerts.byGrid(await rainAlerts.buildings(db.knex, user, scope, alert.id)) : [];
	// Whether the list follows the caller's grids rather than their territory: the empty list says which.
	return { user: { username: user.username, role: user.role }, alert, grids, byGrid: rainAlerts.readsByGrid(user) };
});
