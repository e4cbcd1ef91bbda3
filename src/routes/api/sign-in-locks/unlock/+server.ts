/** POST /api/sign-in-locks/unlock {"username"} or {"address"}: an admin unlocks an account or an address. */
import { endpoint } from '$lib/server/http/endpoint';
import * as signInLimits from '$lib/server/http/sign-in-limits';

export const POST = endpoint(signInLimits.postUnlock);
