/** POST /api/boundaries/preview: the impact of a new outline; writes nothing. */
import { endpoint } from '$lib/server/http/endpoint';
import * as boundaries from '$lib/server/areas/boundaries';

export const POST = endpoint(boundaries.postPreview);
