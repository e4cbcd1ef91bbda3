/** GET /api/cases/{code}/photos/{id}[?size=thumb]: a photo of a case the caller may read. */
import { endpoint } from '$lib/server/http/endpoint';
import * as photos from '$lib/server/http/case-photos';

export const GET = endpoint(photos.getPhoto);
