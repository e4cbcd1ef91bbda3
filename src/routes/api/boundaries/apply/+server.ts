/** POST /api/boundaries/apply: apply an outline from an effective date with a reason. */
import { endpoint } from '$lib/server/http/endpoint';
import * as boundaries from '$lib/server/http/boundaries';

export const POST = endpoint(boundaries.postApply);
