import { error, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';

/** A new renovation project, drawn or picked from compounds on the map: the housing bureau's and the admin's. */
export function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (!['admin', 'housing'].includes(locals.user.role)) error(403, 'only the housing bureau and admins create renovation projects');
	return { testHooks: env.MAP_TEST_HOOKS === '1' };
}
