/** POST /api/departments/{code}/liaisons: an admin adds a liaison link or sets the lead unit. */
import { endpoint } from '$lib/server/http/endpoint';
import * as departments from '$lib/server/http/departments';

export const POST = endpoint(departments.postLiaison);
