/**
 * The permission check of the HTTP layer: `may` (accounts/permissions.ts) or a refusal that
 * names what was refused — 401 "sign in to …" for a caller who is not signed in, 403 "a …
 * account may not …" for a role that lacks the capability or whose reach misses the target.
 */
import type { User } from '../accounts/user.js';
import { may, PERMISSIONS, type Capability, type Target } from '../accounts/permissions.js';
import { fail } from '../platform/errors.js';

/** The signed-in caller when they may; else a 401 or 403. */
export function allow(user: User | null, capability: Capability, target?: Target): User {
	const { what } = PERMISSIONS[capability];
	if (!user) fail(401, `sign in to ${what}`);
	if (!may(user, capability, target)) fail(403, `a ${user.role} account may not ${what}`);
	return user;
}

/** For capabilities the anonymous caller holds too: the caller, signed in or not, when they may. */
export function allowAnyone(user: User | null, capability: Capability, target?: Target): User | null {
	const { what } = PERMISSIONS[capability];
	if (may(user, capability, target)) return user;
	if (!user) fail(401, `sign in to ${what}`);
	fail(403, `a ${user.role} account may not ${what}`);
}

/**
 * Only the first half of `allow`: the caller is signed in, else 401 "sign in to <what>". For a
 * verb whose refusal of a role names the place it was refused (a community it does not
 * administer), or comes after the request is read: the verb itself asks `may` and refuses.
 */
export function signedInFor(user: User | null, capability: Capability): User {
	if (!user) fail(401, `sign in to ${PERMISSIONS[capability].what}`);
	return user;
}
