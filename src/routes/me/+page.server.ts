import { redirect } from '@sveltejs/kit';

export function load({ locals }) {
	if (!locals.user) redirect(303, '/login?next=/me');
	return { user: { username: locals.user.username, role: locals.user.role } };
}
