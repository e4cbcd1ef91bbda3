/**
 * The application's database: opened once per process from the environment, migrated, and
 * given the Hejiang sample when empty. The instance lives on globalThis because the Express
 * server (run by tsx) and the SvelteKit bundle each carry their own copy of this module, and
 * an embedded database must have exactly one opener.
 *
 * The sample loader is handed in by the entry points (src/server/index.ts, hooks.server.ts)
 * that open the database first: the seeds import the domain, which imports this module, and
 * the platform must not import back up (no import circles, issue 22).
 */
import { openDatabase, migrate, type Database } from './db.js';

const KEY = Symbol.for('wangge.appDatabase');
type Holder = { [KEY]?: Promise<Database> };

export interface AppDatabaseOptions {
	log?: (message: string) => void;
	/** Fills an empty database, true when it did (db/seeds/sample.ts: loadSampleIfEmpty); not run with LOAD_SAMPLE=false. */
	loadSampleIfEmpty?: (db: Database, opts: { log?: (m: string) => void; announce?: () => void }) => Promise<boolean>;
}

export function initAppDatabase(opts: AppDatabaseOptions = {}): Promise<Database> {
	const holder = globalThis as Holder;
	holder[KEY] ??= open(opts).catch((error) => {
		delete holder[KEY];
		throw error;
	});
	return holder[KEY];
}

/** The database for a request handler; the server initialised it before listening. */
export function appDatabase(): Promise<Database> {
	return initAppDatabase();
}

async function open({ log = () => {}, loadSampleIfEmpty }: AppDatabaseOptions): Promise<Database> {
	const started = Date.now();
	// Each step is announced before it runs: on a first start the embedded database and the
	// sample take most of a minute, which would otherwise pass in silence.
	log(process.env.DATABASE_URL ? 'database: connecting to DATABASE_URL…' : `database: opening the embedded PostGIS in ${process.env.DATA_DIR || './data'} (created on the first start)…`);
	const db = await openDatabase({
		url: process.env.DATABASE_URL || undefined,
		dataDir: process.env.DATA_DIR || './data'
	});
	log(`database: ${db.backend} open in ${Date.now() - started} ms`);
	log('database: bringing the schema up to date (migrations)…');
	const applied = await migrate(db.knex);
	log(applied.length ? `database: ${applied.length} migrations applied` : 'database: schema up to date');
	if (loadSampleIfEmpty && process.env.LOAD_SAMPLE !== 'false') {
		const loaded = await loadSampleIfEmpty(db, { log: (m) => log(m), announce: () => log('database: empty, loading the Hejiang sample (first start only)…') });
		if (loaded) log(`database: Hejiang sample loaded in ${Date.now() - started} ms`);
	}
	return db;
}
