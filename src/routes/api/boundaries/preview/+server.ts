/** POST /api/boundaries/preview: the impact of a new outline; writes nothing. */
import { endpoint } from '$lib/server/http/endpoint';
import * as boundaries from '$lib/server/http/boundaries';

export const POST = endpoint(boundaries.postPreview);
