/** The health answer over HTTP: the database and its PostGIS version; 503 while it is unreachable. */
import { json, isDatabaseUnavailable, type Reply } from './endpoint.js';
import { appDatabase } from '../platform/app-database.js';
import * as health from '../platform/health.js';
import { errorBody } from '../../api-error.js';

/**
 * GET /api/health: 200 with the database's name and PostGIS version, or 503 saying the
 * database is down — for a load balancer or a monitor. It opens no session and needs none.
 */
export async function getHealth(): Promise<Reply> {
	const db = await appDatabase();
	try {
		return json(await health.read(db), 200, { 'Cache-Control': 'no-store' });
	} catch (error) {
		if (!isDatabaseUnavailable(error)) throw error;
		return json({ status: 'unavailable', database: db.backend, ...errorBody('the database is not reachable') }, 503, { 'Cache-Control': 'no-store', 'Retry-After': '5' });
	}
}
