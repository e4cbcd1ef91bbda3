/** GET /api/health: the database and PostGIS version; 503 while the database is down. */
import { endpoint } from '$lib/server/http/endpoint';
import * as health from '$lib/server/http/health';

export const GET = endpoint(health.getHealth);
