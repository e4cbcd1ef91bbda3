import { error, redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import { BOUNDARY_LEVELS, editorArea, type BoundaryLevel } from '$lib/server/areas/boundaries';
import { mayManage } from '$lib/server/ownership/manage';
import { reachOf } from '$lib/server/accounts/permissions';
import { forPage } from '$lib/server/http/pages';

/** The boundary editor: for admins anywhere and community admins in their community. */
export async function load({ params, locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (!BOUNDARY_LEVELS.includes(params.level as BoundaryLevel)) error(404, 'Not found');
	const level = params.level as BoundaryLevel;
	const db = await appDatabase();
	await forPage(mayManage(db.knex, locals.user, level, params.code));
	// A community's outer boundary is the county's to move (boundaries.ts says why).
	if (level === 'community' && reachOf(locals.user, 'boundary.apply') !== 'any') error(403, "a community's outer boundary is changed by a county admin");
	const area = await editorArea(db.knex, level, params.code);
	if (!area) error(404, 'Not found');
	return { level, ...area };
}
