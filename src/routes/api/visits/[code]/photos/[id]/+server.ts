/** GET /api/visits/{code}/photos/{id}: a photo of a visit the caller may read. */
import { endpoint } from '$lib/server/http/endpoint';
import * as visits from '$lib/server/http/field';

export const GET = endpoint(visits.getPhoto);
