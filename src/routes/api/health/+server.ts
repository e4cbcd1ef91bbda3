/** GET /api/health: the database and PostGIS version; 503 while the database is down. */
import { endpoint } from '$lib/server/endpoint';
import * as health from '$lib/server/health';

export const GET = endpoint(health.getHealth);
