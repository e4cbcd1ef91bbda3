/** GET /api/areas/{level}/{code}/issues: the issues inside, newest first. In the fast lane. */
import { endpoint } from '$lib/server/http/endpoint';
import * as areas from '$lib/server/http/areas';

export const GET = endpoint(areas.getIssues);
