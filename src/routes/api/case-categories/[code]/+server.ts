/** PUT /api/case-categories/{code}: an admin changes a category's handler, department, active flag. */
import { endpoint } from '$lib/server/http/endpoint';
import * as settings from '$lib/server/http/case-settings';

export const PUT = endpoint(settings.putCategory);
