/**
 * The one database module. DATABASE_URL set → PostgreSQL/PostGIS through knex + pg.
 * Unset → an embedded PostGIS (PGlite + pglite-postgis through knex-pglite), data in DATA_DIR.
 * Both run the same migrations and the same queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import knexPostgis from 'knex-postgis';
import { migrationSource } from '../../../db/migrations.js';

export type Backend = 'postgis' | 'embedded';

export interface Database {
	knex: Knex;
	backend: Backend;
	/** knex-postgis helpers (st.geomFromGeoJSON, …) bound to this knex */
	st: ReturnType<typeof knexPostgis>;
	close(): Promise<void>;
}

export interface OpenOptions {
	/** a postgres:// URL; when absent the embedded database is used */
	url?: string;
	/** embedded data directory; ':memory:' keeps the database in memory */
	dataDir?: string;
	/** where knex's own messages go; unset, knex prints them (with stacks) to stdout */
	log?: Knex.Logger;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
	const knex = opts.url ? openServer(opts.url, opts.log) : await openEmbedded(opts.dataDir ?? './data', opts.log);
	const backend: Backend = opts.url ? 'postgis' : 'embedded';
	return { knex, backend, st: knexPostgis(knex), close: () => knex.destroy() };
}

function openServer(url: string, log: Knex.Logger | undefined): Knex {
	return knexFactory({
		client: 'pg',
		connection: url,
		log,
		pool: {
			min: 0,
			max: Number(process.env.DB_POOL_MAX ?? 10),
			// JIT compiles any statement whose estimate passes jit_above_cost; on the city-sized
			// data a 1 ms owner lookup spent 550 ms compiling. Our queries are short: no JIT.
			afterCreate(connection: { query: (sql: string, done: (error: Error | null) => void) => void }, done: (error: Error | null, connection: unknown) => void) {
				connection.query('SET jit = off', (error) => done(error, connection));
			}
		}
	});
}

async function openEmbedded(dataDir: string, log: Knex.Logger | undefined): Promise<Knex> {
	// Loaded lazily: a PostgreSQL deployment never pays for the WASM build.
	const [{ PGlite }, { postgis }, { pg_trgm }, { default: ClientPgLite }] = await Promise.all([
		import('@electric-sql/pglite'),
		import('@electric-sql/pglite-postgis'),
		import('@electric-sql/pglite/contrib/pg_trgm'),
		import('knex-pglite')
	]);
	let location: string | undefined;
	if (dataDir !== ':memory:') {
		location = path.resolve(dataDir, 'pglite');
		fs.mkdirSync(location, { recursive: true });
	}
	const pglite = new PGlite({ dataDir: location, extensions: { postgis, pg_trgm } });
	await pglite.waitReady;
	return knexFactory({
		client: ClientPgLite as unknown as typeof knexFactory.Client,
		log,
		// knex-pglite takes an existing instance through a connection function.
		connection: () => ({ pglite }) as unknown as Knex.ConnectionConfig
	});
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(knex: Knex): Promise<string[]> {
	const [, applied] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
	return applied;
}

export async function postgisVersion(knex: Knex): Promise<string> {
	const { rows } = await knex.raw<{ rows: { version: string }[] }>(
		'SELECT postgis_lib_version() AS version'
	);
	return rows[0].version;
}
