/** GET /api/areas/{level}/{code}: the area panel's summary. In the fast lane. */
import { endpoint } from '$lib/server/http/endpoint';
import * as areas from '$lib/server/http/areas';

export const GET = endpoint(areas.getSummary);
