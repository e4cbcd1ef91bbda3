import { redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';

export function load({ locals }) {
	if (!locals.user) redirect(303, '/login?next=/me');
	return { user: { username: locals.user.username, role: locals.user.role }, testHooks: env.MAP_TEST_HOOKS === '1' };
}
