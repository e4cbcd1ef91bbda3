/** The health of the app: which database it runs on and its PostGIS version (http/health.ts answers 503 while it is unreachable). */
import type { Database } from './db.js';
import { postgisVersion } from './db.js';

export interface Health {
	status: 'ok';
	database: Database['backend'];
	postgis: string;
}

export async function read(db: Database): Promise<Health> {
	return { status: 'ok', database: db.backend, postgis: await postgisVersion(db.knex) };
}
