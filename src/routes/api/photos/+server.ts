/** POST /api/photos: upload one photo (checked by content); its token, to attach to a report. */
import { endpoint } from '$lib/server/endpoint';
import * as photos from '$lib/server/case-photos';

export const POST = endpoint(photos.postPhoto);
