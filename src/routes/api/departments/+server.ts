/** GET /api/departments?q=: the departments the caller may read (issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as departments from '$lib/server/http/departments';

export const GET = endpoint(departments.getList);
