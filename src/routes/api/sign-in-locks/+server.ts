/** GET /api/sign-in-locks: an admin sees each account's sign-in lock state and the addresses with failures. */
import { endpoint } from '$lib/server/http/endpoint';
import * as signInLimits from '$lib/server/http/sign-in-limits';

export const GET = endpoint(signInLimits.getSignInLocks);
