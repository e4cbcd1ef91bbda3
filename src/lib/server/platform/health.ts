/** The health answer: which database the app runs on and its PostGIS version; 503 while it is unreachable. */
import type { Database } from './db.js';
import { postgisVersion } from './db.js';
import { appDatabase } from './app-database.js';
import { json, isDatabaseUnavailable, type Reply } from '../http/endpoint.js';
import { errorBody } from '../../api-error.js';

export interface Health {
	status: 'ok';
	database: Database['backend'];
	postgis: string;
}

export async function read(db: Database): Promise<Health> {
	return { status: 'ok', database: db.backend, postgis: await postgisVersion(db.knex) };
}

/**
 * GET /api/health: 200 with the database's name and PostGIS version, or 503 saying the
 * database is down — for a load balancer or a monitor. It opens no session and needs none.
 */
export async function getHealth(): Promise<Reply> {
	const db = await appDatabase();
	try {
		return json(await read(db), 200, { 'Cache-Control': 'no-store' });
	} catch (error) {
		if (!isDatabaseUnavailable(error)) throw error;
		return json({ status: 'unavailable', database: db.backend, ...errorBody('the database is not reachable') }, 503, { 'Cache-Control': 'no-store', 'Retry-After': '5' });
	}
}
