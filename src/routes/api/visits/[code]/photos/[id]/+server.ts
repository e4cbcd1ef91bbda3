/** GET /api/visits/{code}/photos/{id}: a photo of a visit the caller may read. */
import { endpoint } from '$lib/server/endpoint';
import * as visits from '$lib/server/visits';

export const GET = endpoint(visits.getPhoto);
