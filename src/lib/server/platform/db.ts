/**
 * The one database module. DATABASE_URL set → PostgreSQL/PostGIS through knex + pg.
 * Unset → an embedded PostGIS (PGlite + pglite-postgis through knex-pglite), data in DATA_DIR.
 * Both run the same migrations and the same queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from '../../../../db/migrations.js';
import { recordQueries } from './sql-record.js';

export type Backend = 'postgis' | 'embedded';

export interface Database {
	knex: Knex;
	backend: Backend;
	/**
	 * LISTEN on a channel: `notify` gets each payload; `live` says whether notifications are
	 * flowing (false while a server connection is lost: anything derived from them may be
	 * stale until the next `live(true)`, which comes after a reconnect). Returns a stop.
	 */
	listen(channel: string, on: { notify(payload: string): void; live(up: boolean): void }): Promise<() => Promise<void>>;
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
	if (opts.url) {
		const knex = openServer(opts.url, opts.log);
		recordQueries(knex);
		const listeners = new Set<() => Promise<void>>();
		return {
			knex,
			backend: 'postgis',
			async listen(channel, on) {
				const stop = await listenOnServer(opts.url!, channel, on);
				listeners.add(stop);
				return async () => {
					listeners.delete(stop);
					await stop();
				};
			},
			async close() {
				await Promise.all([...listeners].map((stop) => stop()));
				await knex.destroy();
			}
		};
	}
	const { knex, pglite } = await openEmbedded(opts.dataDir ?? './data', opts.log);
	recordQueries(knex);
	return {
		knex,
		backend: 'embedded',
		async listen(channel, on) {
			// In-process: every write goes through this instance, so notifications never stop.
			const unlisten = await pglite.listen(channel, on.notify);
			on.live(true);
			return () => unlisten();
		},
		close: () => knex.destroy()
	};
}

/**
 * A connection of its own that LISTENs (a pooled one would be handed to queries), and
 * reconnects after it is lost — a PostgreSQL restart — with a growing pause of up to 5 s.
 * Resolves once the first attempt to connect has succeeded or failed.
 */
async function listenOnServer(url: string, channel: string, on: { notify(payload: string): void; live(up: boolean): void }): Promise<() => Promise<void>> {
	let client: pg.Client | null = null;
	let stopped = false;
	let pause = 100;
	let timer: NodeJS.Timeout | undefined;
	const connect = async () => {
		if (stopped) return;
		const c = new pg.Client({ connectionString: url });
		client = c;
		const lost = () => {
			if (client !== c) return;
			client = null;
			on.live(false);
			c.end().catch(() => {});
			if (!stopped) timer = setTimeout(connect, (pause = Math.min(pause * 2, 5000)));
		};
		c.on('error', lost);
		c.on('end', lost);
		c.on('notification', (n) => n.channel === channel && on.notify(n.payload ?? ''));
		try {
			await c.connect();
			await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
			pause = 100;
			on.live(true);
		} catch {
			lost();
		}
	};
	await connect();
	return async () => {
		stopped = true;
		clearTimeout(timer);
		const c = client;
		client = null;
		await c?.end().catch(() => {});
	};
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

async function openEmbedded(dataDir: string, log: Knex.Logger | undefined): Promise<{ knex: Knex; pglite: import('@electric-sql/pglite').PGlite }> {
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
	const knex = knexFactory({
		client: ClientPgLite as unknown as typeof knexFactory.Client,
		log,
		// knex-pglite takes an existing instance through a connection function.
		connection: () => ({ pglite }) as unknown as Knex.ConnectionConfig
	});
	return { knex, pglite };
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
