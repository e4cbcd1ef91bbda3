/** POST /api/renovation/:code/photos?phase=before|after: a before or after photo (admin, housing). */
import { endpoint } from '$lib/server/http/endpoint';
import * as renovation from '$lib/server/http/renovation';

export const POST = endpoint(renovation.postPhoto);
