import { redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import * as rainAlerts from '$lib/server/flood/rain-alerts';

/** The rain alert on now and its inspection list as the caller may read it: a grid worker their grids. */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	const [latest] = await rainAlerts.alerts(db.knex, locals.user, scope, undefined, 1);
	const alert = latest?.ended_at === null ? latest : null;
	const grids = alert ? rainAlerts.byGrid(await rainAlerts.buildings(db.knex, locals.user, scope, alert.id)) : [];
	// Whether the list follows the caller's grids rather than their territory: the empty list says which.
	return { user: { username: locals.user.username, role: locals.user.role }, alert, grids, byGrid: rainAlerts.readsByGrid(locals.user) };
}
