import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import { BOUNDARY_LEVELS, editorArea, type BoundaryLevel } from '$lib/server/areas/boundaries';
import { mayManage } from '$lib/server/ownership/manage';
import { reachOf } from '$lib/server/accounts/permissions';

/** The boundary editor: for admins anywhere and community admins in their community. */
export const load = pageLoad({ signIn: true }, async ({ db, user, params }) => {
	if (!BOUNDARY_LEVELS.includes(params.level as BoundaryLevel)) error(404, 'Not found');
	const level = params.level as BoundaryLevel;
	await mayManage(db.knex, user, level, params.code);
	// A community's outer boundary is the county's to move (boundaries.ts says why).
	if (level === 'community' && reachOf(user, 'boundary.apply') !== 'any') error(403, "a community's outer boundary is changed by a county admin");
	const area = await editorArea(db.knex, level, params.code);
	if (!area) error(404, 'Not found');
	return { level, ...area };
});
