/** PUT /api/departments/{code}/liaisons/{community}/deputy: an admin names or clears the part-time deputy secretary. */
import { endpoint } from '$lib/server/http/endpoint';
import * as departments from '$lib/server/http/departments';

export const PUT = endpoint(departments.putDeputy);
