import { error, redirect } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/platform/app-database';
import { BOUNDARY_LEVELS, type BoundaryLevel } from '$lib/server/areas/boundaries';
import { mayManage } from '$lib/server/ownership/manage';
import { reachOf } from '$lib/server/accounts/permissions';
import { forPage } from '$lib/server/http/pages';
import { LEVEL_TABLE } from '$lib/server/platform/tables';

/** The boundary editor: for admins anywhere and community admins in their community. */
export async function load({ params, locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (!BOUNDARY_LEVELS.includes(params.level as BoundaryLevel)) error(404, 'Not found');
	const level = params.level as BoundaryLevel;
	const db = await appDatabase();
	await forPage(mayManage(db.knex, locals.user, level, params.code));
	// A community's outer boundary is the county's to move (boundaries.ts says why).
	if (level === 'community' && reachOf(locals.user, 'boundary.apply') !== 'any') error(403, "a community's outer boundary is changed by a county admin");
	const { rows } = await db.knex.raw(
		`SELECT code, name, boundary_valid_from, ST_AsGeoJSON(geom, 7) AS geometry,
			(SELECT json_agg(json_build_object('code', n.code, 'geometry', ST_AsGeoJSON(n.geom, 7)::json))
			 FROM ${LEVEL_TABLE[level]} n WHERE n.id <> t.id AND ST_DWithin(n.geom, t.geom, 0.01)) AS neighbours
		 FROM ${LEVEL_TABLE[level]} t WHERE t.code = :code`,
		{ code: params.code }
	);
	if (!rows.length) error(404, 'Not found');
	const area = rows[0];
	return {
		level,
		code: area.code as string,
		name: area.name as string,
		validFrom: new Date(area.boundary_valid_from).toISOString().slice(0, 10),
		geometry: JSON.parse(area.geometry),
		neighbours: (area.neighbours ?? []) as { code: string; geometry: unknown }[]
	};
}
