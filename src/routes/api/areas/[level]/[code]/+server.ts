/** GET /api/areas/{level}/{code}: the area panel's summary. In the fast lane. */
import { endpoint } from '$lib/server/endpoint';
import * as areas from '$lib/server/areas';

export const GET = endpoint(areas.getSummary);
