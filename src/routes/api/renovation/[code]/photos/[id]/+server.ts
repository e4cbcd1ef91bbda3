/** GET /api/renovation/:code/photos/:id[?size=thumb]: a photo of a project the caller may read. */
import { endpoint } from '$lib/server/http/endpoint';
import * as renovation from '$lib/server/http/renovation';

export const GET = endpoint(renovation.getPhoto);
