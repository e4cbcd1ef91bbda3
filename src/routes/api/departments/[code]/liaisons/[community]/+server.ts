/** DELETE /api/departments/{code}/liaisons/{community}: an admin ends a liaison link. */
import { endpoint } from '$lib/server/http/endpoint';
import * as departments from '$lib/server/http/departments';

export const DELETE = endpoint(departments.deleteLiaison);
