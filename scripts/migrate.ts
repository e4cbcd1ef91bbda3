/** `npm run db:migrate`: applies pending migrations to the configured database, loads no sample. */
import { openDatabase, migrate } from '../src/lib/server/platform/db.js';

const db = await openDatabase({
	url: process.env.DATABASE_URL || undefined,
	dataDir: process.env.DATA_DIR || './data'
});
try {
	const applied = await migrate(db.knex);
	console.log(applied.length ? `applied ${applied.length} migrations:\n  ${applied.join('\n  ')}` : 'database is up to date');
} finally {
	await db.close();
}
