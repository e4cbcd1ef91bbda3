import { error } from '@sveltejs/kit';
import { pageLoad } from '$lib/server/http/pages';
import { BOUNDARY_LEVELS, type BoundaryLevel } from '$lib/server/areas/boundaries';
import { boundaryArea } from '$lib/server/areas/boundary-area';
import { mayManage } from '$lib/server/ownership/manage';

/** The boundary editor: for admins anywhere and community admins in their community. */
export const load = pageLoad({ signIn: true }, async ({ db, user, params }) => {
	if (!BOUNDARY_LEVELS.includes(params.level as BoundaryLevel)) error(404, 'Not found');
	const level = params.level as BoundaryLevel;
	await mayManage(db.knex, user, level, params.code);
	// A community's outer boundary is the county's to move (boundaries.ts says why).
	if (level === 'community' && user.role !== 'admin') error(403, "a community's outer boundary is changed by a county admin");
	const area = await boundaryArea(db.knex, level, params.code);
	if (!area) error(404, 'Not found');
	return area;
});
