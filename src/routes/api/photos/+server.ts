/** POST /api/photos: upload one photo (checked by content); its token, to attach to a report. */
import { endpoint } from '$lib/server/http/endpoint';
import * as photos from '$lib/server/http/case-photos';

export const POST = endpoint(photos.postPhoto);
