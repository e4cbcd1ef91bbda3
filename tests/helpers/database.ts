/** A database of its own for one test file, cloned from a template the global set-up built. */
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/platform/db.js';
import { adminQuery, databaseUrl } from './pg-admin.js';
import { DATA_TABLES } from '../../src/lib/server/platform/tables.js';

export interface TestDatabase {
	db: Database;
	url: string;
	drop(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(from: 'empty' | 'sample' = 'sample'): Promise<TestDatabase> {
	const adminUrl = inject('adminUrl');
	const name = `wz_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
	// Names are generated here, never from input: safe to put in the statement.
	await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${inject('templates')[from]}"`);
	const url = databaseUrl(adminUrl, name);
	const db = await openDatabase({ url });
	return {
		db,
		url,
		async drop() {
			await db.close();
			await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		}
	};
}

/** Row counts of every data table, to prove a rejected write changed nothing. */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const table of DATA_TABLES) {
		const [{ n }] = await db.knex(table).count<{ n: string }[]>({ n: '*' });
		counts[table] = Number(n);
	}
	return counts;
}
