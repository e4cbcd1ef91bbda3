/** GET /api/departments/{code}: a department's page data (issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as departments from '$lib/server/http/departments';

export const GET = endpoint(departments.getPage);
