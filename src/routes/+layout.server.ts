import { capabilitiesOf, may } from '$lib/server/accounts/permissions';

/** Who is signed in, for what every page shows of them: a field worker's offline state (issue 13). */

export function load({ locals }) {
	const user = locals.user;
	return {
		// The outbox keeps each record under the account that made it (outbox.svelte.ts).
		username: user?.username ?? null,
		fieldUser: user && may(user, 'offline-pack.take') ? { username: user.username, role: user.role } : null,
		// What the user may do, from the one permission table: pages show or hide controls by
		// capability (`data.can.includes('case.escalate')`), never by a role list of their own.
		can: capabilitiesOf(user ?? null)
	};
}
