/** The health answer: which database the app runs on and its PostGIS version. */
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
