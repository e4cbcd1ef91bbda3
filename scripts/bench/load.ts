/**
 * Loads a city-sized generated dataset into a PostGIS database, fast, for `npm run bench`:
 *
 *   tsx scripts/bench/load.ts --scale 1700 --seed hejiang [--database-url URL] [--layers a,b] [--reset]
 *
 * Per layer: the generator's records are streamed through COPY into an UNLOGGED staging
 * table (geometry as hex EWKB, codes as text), then one INSERT … SELECT maps codes to ids
 * into the real table, with the table's secondary indexes dropped during the insert and
 * rebuilt after (a sorted GiST build beats a million one-by-one inserts), then VACUUM
 * ANALYZE. While one layer is being inserted the next one is already being staged on a
 * second connection, so the generator (Node) and the server work at the same time. Memory
 * stays flat: records are produced lazily and COPY applies backpressure.
 *
 * The database records what it holds in `bench_meta`; a second run with the same scale and
 * seed skips the load, a different one empties the tables first. A database with data that
 * this loader did not write is left alone unless --reset is given.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RECORD_LAYERS, type RecordLayer } from '../../src/lib/domain/records.js';
import { createGenerator, type Generator as CityGenerator } from '../../db/seeds/generator/index.js';
import { openDatabase, migrate } from '../../src/lib/server/platform/db.js';
import { DATA_TABLES } from '../../src/lib/server/platform/tables.js';
import { geodataDir } from '../../db/seeds/sample.js';
import { setUpCases } from '../../db/seeds/case-setup.js';
import { setUpDeputies } from '../../db/seeds/deputies.js';
import { LAYER_LOADS, copyField, type LayerLoad } from './layers.js';

export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/wz_bench';
/** issue_events is 13M rows at scale 1700 and nothing in the bench reads it. */
export const DEFAULT_LAYERS: RecordLayer[] = RECORD_LAYERS.filter((l) => l !== 'issue_events');

export interface LoadOptions {
	scale: number;
	seed: string;
	/** the layers to have loaded; their dependencies are added. Default: all but issue_events */
	layers?: RecordLayer[];
	/** empty a database that holds data this loader did not write */
	reset?: boolean;
	log?: (m: string) => void;
}

export interface LayerTiming {
	layer: RecordLayer;
	rows: number;
	/** generating + COPY into staging */
	stageSeconds: number;
	/** INSERT … SELECT + index rebuild */
	insertSeconds: number;
}

export interface LoadResult {
	/** true when the database already held this scale and seed, and nothing was written */
	skipped: boolean;
	/** rows per layer, as in the database after the load (the generator's counts()) */
	counts: Partial<Record<RecordLayer, number>>;
	timings: LayerTiming[];
	seconds: number;
}

interface Meta {
	scale: number;
	seed: string;
	layers: RecordLayer[];
	status: 'loading' | 'complete';
	counts: Partial<Record<RecordLayer, number>>;
}

/**
 * Load order: parents first, and the small layers before the big ones. A small layer's
 * index build or commit has to fsync, which waits behind the disk traffic of a big layer
 * being staged at the same time; early on, the layers being staged are small too.
 */
export const LOAD_ORDER: RecordLayer[] = [
	'streets',
	'communities',
	'departments',
	'liaisons',
	'grids',
	'renovation',
	'compounds',
	'buildings',
	'people',
	'assignments',
	'issues',
	'issue_events',
	'flood',
	'flood_incidents'
];

/** The layers asked for plus everything they look ids up in, in load order. */
export function withDependencies(layers: RecordLayer[]): RecordLayer[] {
	const wanted = new Set<RecordLayer>();
	const add = (l: RecordLayer) => {
		if (wanted.has(l)) return;
		wanted.add(l);
		for (const d of LAYER_LOADS[l].needs) add(d);
	};
	layers.forEach(add);
	return LOAD_ORDER.filter((l) => wanted.has(l));
}

export async function loadCity(url: string, opts: LoadOptions): Promise<LoadResult> {
	const log = opts.log ?? (() => {});
	const started = performance.now();
	await createDatabaseIfMissing(url, log);
	const db = await openDatabase({ url });
	try {
		const applied = await migrate(db.knex);
		if (applied.length) log(`migrated: ${applied.length} migrations`);
	} finally {
		await db.close();
	}

	const wanted = withDependencies(opts.layers ?? DEFAULT_LAYERS);
	const main = new pg.Client({ connectionString: url });
	await main.connect();
	try {
		await main.query(`CREATE TABLE IF NOT EXISTS bench_meta (
			id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
			scale numeric NOT NULL,
			seed text NOT NULL,
			layers text[] NOT NULL,
			status text NOT NULL,
			counts jsonb NOT NULL DEFAULT '{}',
			updated_at timestamptz NOT NULL DEFAULT now())`);
		const meta = await readMeta(main);
		const same = meta !== null && meta.status === 'complete' && meta.scale === opts.scale && meta.seed === opts.seed;
		let todo: RecordLayer[];
		let counts: Partial<Record<RecordLayer, number>> = {};
		if (same) {
			// Same data, fewer layers: add only the missing ones (their dependencies are there).
			todo = wanted.filter((l) => !meta.layers.includes(l));
			counts = meta.counts;
			if (!todo.length) {
				log(`bench data already loaded (scale ${opts.scale}, seed "${opts.seed}"): ${meta.layers.join(', ')}`);
				return { skipped: true, counts, timings: [], seconds: (performance.now() - started) / 1000 };
			}
		} else {
			if (!meta && !(await isEmpty(main)) && !opts.reset) {
				throw new Error(
					'the database holds data the bench loader did not write; use another database or pass --reset to empty it'
				);
			}
			if (meta || !(await isEmpty(main))) {
				log(meta ? `replacing ${meta.status} bench data (scale ${meta.scale}, seed "${meta.seed}")` : 'emptying the database (--reset)');
				await main.query(`TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
			}
			todo = wanted;
			await loadCounty(main);
		}
		const layers = LOAD_ORDER.filter((l) => todo.includes(l) || (same && meta.layers.includes(l)));
		await writeMeta(main, { scale: opts.scale, seed: opts.seed, layers, status: 'loading', counts });

		const generator = createGenerator({ scale: opts.scale, seed: opts.seed });
		log(`loading scale ${opts.scale}, seed "${opts.seed}": ${todo.join(', ')}`);
		const timings = await loadLayers(url, main, generator, todo, log);
		for (const t of timings) counts[t.layer] = t.rows;
		// What the sample loader does after its records: categories' departments, the work
		// calendar, each case's handler by its category's rule, residents' ratings
		// (db/seeds/case-setup.ts), and a deputy secretary for each liaison link (deputies.ts).
		const db = await openDatabase({ url });
		try {
			await db.knex.transaction(async (trx) => {
				await setUpCases(trx);
				if (todo.includes('liaisons') || layers.includes('liaisons')) await setUpDeputies(trx);
			});
		} finally {
			await db.close();
		}

		await main.query(
			`INSERT INTO audit_log (actor, action, entity, detail) VALUES ('system', 'load_bench', 'sample', $1)`,
			[JSON.stringify({ scale: opts.scale, seed: opts.seed, written: Object.fromEntries(timings.map((t) => [t.layer, t.rows])) })]
		);
		await writeMeta(main, { scale: opts.scale, seed: opts.seed, layers, status: 'complete', counts });
		const seconds = (performance.now() - started) / 1000;
		log(`loaded in ${seconds.toFixed(1)} s`);
		return { skipped: false, counts, timings, seconds };
	} finally {
		await main.end();
	}
}

async function loadLayers(
	url: string,
	main: pg.Client,
	generator: CityGenerator,
	layers: RecordLayer[],
	log: (m: string) => void
): Promise<LayerTiming[]> {
	const stager = new pg.Client({ connectionString: url });
	await stager.connect();
	// Bulk-load settings for these sessions only: the server's configuration is not ours to change.
	for (const c of [stager, main]) {
		await c.query("SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '256MB'");
	}
	// Staging runs up to two layers ahead of inserting: Node generates layer n+1 while the
	// server inserts layer n. Each staging promise is awaited before its insert.
	let chain: Promise<unknown> = Promise.resolve();
	try {
		const staged = new Map<RecordLayer, Promise<{ rows: number; seconds: number }>>();
		const stage = (layer: RecordLayer) => {
			const p = chain.then(() => stageLayer(stager, generator, layer));
			// Handled here so that a staging failure nobody awaits (the insert failed first)
			// is not an unhandled rejection; whoever awaits p still sees it.
			chain = p.catch(() => {});
			staged.set(layer, p);
		};
		const timings: LayerTiming[] = [];
		layers.slice(0, 2).forEach(stage);
		for (let i = 0; i < layers.length; i++) {
			const layer = layers[i];
			const staging = await staged.get(layer)!;
			if (i + 2 < layers.length) stage(layers[i + 2]);
			const t0 = performance.now();
			const inserted = await insertLayer(main, layer);
			const insertSeconds = (performance.now() - t0) / 1000;
			if (inserted !== staging.rows) throw new Error(`${layer}: staged ${staging.rows} rows but inserted ${inserted}`);
			const timing = { layer, rows: inserted, stageSeconds: staging.seconds, insertSeconds };
			timings.push(timing);
			log(formatTiming(timing));
		}
		return timings;
	} finally {
		// After a failure this also cuts short a COPY still running for a later layer.
		await stager.end().catch(() => {});
		await chain;
		// Dropped together at the end: a commit that drops a table fsyncs the WAL, and one
		// per layer would each wait behind the staging of the next layer.
		await main
			.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'bench\\_stage\\_%'`)
			.then(async ({ rows }) => {
				if (rows.length) await main.query(`DROP TABLE ${rows.map((r) => r.name).join(', ')}`);
			})
			.catch(() => {});
	}
}

export function formatTiming(t: LayerTiming): string {
	const rate = (s: number) => (s > 0 ? Math.round(t.rows / s).toLocaleString('en-US') : '∞');
	// The two phases overlap across layers (staging runs ahead), so they are shown apart.
	return (
		`${t.layer.padEnd(16)} ${t.rows.toLocaleString('en-US').padStart(10)} rows` +
		`  generate+copy ${t.stageSeconds.toFixed(1).padStart(6)} s (${rate(t.stageSeconds).padStart(9)} rows/s)` +
		`  insert ${t.insertSeconds.toFixed(1).padStart(6)} s (${rate(t.insertSeconds).padStart(9)} rows/s)`
	);
}

const stagingTable = (layer: RecordLayer) => `bench_stage_${layer}`;

/** Generates one layer and COPYs it into a fresh UNLOGGED staging table. */
async function stageLayer(client: pg.Client, generator: CityGenerator, layer: RecordLayer) {
	const t0 = performance.now();
	const spec = LAYER_LOADS[layer] as unknown as LayerLoad<unknown>;
	const table = stagingTable(layer);
	await client.query(`DROP TABLE IF EXISTS ${table}`);
	// ord keeps the generator's order: a heap does not (COPY puts a short row into an earlier
	// page's free space), and ids in generator order make the load reproducible.
	await client.query(`CREATE UNLOGGED TABLE ${table} (ord integer, ${spec.stage.map((c) => `${c.name} ${c.type}`).join(', ')})`);
	let rows = 0;
	const CHUNK = 1 << 18;
	function* chunks(): Generator<string> {
		let buffer = '';
		for (const record of generator.records(layer) as Iterable<unknown>) {
			let line = String(rows++);
			for (const column of spec.stage) line += '\t' + copyField(column.value(record));
			buffer += line + '\n';
			if (buffer.length >= CHUNK) {
				yield buffer;
				buffer = '';
			}
		}
		if (buffer) yield buffer;
	}
	const columns = ['ord', ...spec.stage.map((c) => c.name)].join(', ');
	await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)));
	return { rows, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Moves one staged layer into its table in one transaction: secondary indexes dropped and
 * rebuilt around the insert; for buildings the owner trigger is off, because the insert
 * derives grid and compound itself. A failure rolls all of it back, trigger and indexes too.
 */
async function insertLayer(client: pg.Client, layer: RecordLayer): Promise<number> {
	const spec = LAYER_LOADS[layer] as unknown as LayerLoad<unknown>;
	const stage = stagingTable(layer);
	const columns = Object.keys(spec.select);
	await client.query('BEGIN');
	try {
		const { rows: indexes } = await client.query<{ name: string; def: string }>(
			`SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
			 FROM pg_index i
			 WHERE i.indrelid = $1::regclass
			   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
			[spec.table]
		);
		for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
		if (layer === 'buildings') await client.query('ALTER TABLE buildings DISABLE TRIGGER buildings_derive_owner');
		const result = await client.query(
			`INSERT INTO ${spec.table} (${columns.join(', ')})
			 SELECT ${columns.map((c) => spec.select[c]).join(', ')} FROM ${stage} s ORDER BY s.ord`
		);
		if (layer === 'buildings') await client.query('ALTER TABLE buildings ENABLE TRIGGER buildings_derive_owner');
		for (const index of indexes) await client.query(index.def);
		await client.query('COMMIT');
		// VACUUM rather than ANALYZE alone: it sets hint bits and the visibility map now,
		// so the first bench run does not pay for them, and insert-triggered autovacuum
		// does not start in the middle of one.
		await client.query(`VACUUM (ANALYZE) ${spec.table}`);
		return result.rowCount ?? 0;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {});
		throw error;
	}
}

/** The real county outline, as the sample loads it (1 row). */
async function loadCounty(client: pg.Client): Promise<void> {
	const county = JSON.parse(fs.readFileSync(path.join(geodataDir(), 'hejiang-county.wgs84.geojson'), 'utf8'));
	for (const feature of county.features) {
		await client.query(
			`INSERT INTO county (code, name, source, geom)
			 VALUES ($1, $2, $3, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326)))`,
			[feature.properties.code, feature.properties.name, feature.properties.source ?? null, JSON.stringify(feature.geometry)]
		);
	}
}

async function isEmpty(client: pg.Client): Promise<boolean> {
	for (const table of DATA_TABLES) {
		const { rowCount } = await client.query(`SELECT 1 FROM ${table} LIMIT 1`);
		if (rowCount) return false;
	}
	return true;
}

async function readMeta(client: pg.Client): Promise<Meta | null> {
	const { rows } = await client.query('SELECT scale, seed, layers, status, counts FROM bench_meta WHERE id = 1');
	if (!rows.length) return null;
	return { ...rows[0], scale: Number(rows[0].scale) } as Meta;
}

async function writeMeta(client: pg.Client, meta: Meta): Promise<void> {
	await client.query(
		`INSERT INTO bench_meta (id, scale, seed, layers, status, counts) VALUES (1, $1, $2, $3, $4, $5)
		 ON CONFLICT (id) DO UPDATE SET scale = EXCLUDED.scale, seed = EXCLUDED.seed, layers = EXCLUDED.layers,
		   status = EXCLUDED.status, counts = EXCLUDED.counts, updated_at = now()`,
		[meta.scale, meta.seed, meta.layers, meta.status, JSON.stringify(meta.counts)]
	);
}

/** CREATE DATABASE through the server's `postgres` database when the target is missing. */
export async function createDatabaseIfMissing(url: string, log: (m: string) => void = () => {}): Promise<void> {
	const target = new URL(url);
	const name = decodeURIComponent(target.pathname.slice(1));
	if (!name) throw new Error(`no database name in ${url}`);
	const admin = new URL(url);
	admin.pathname = '/postgres';
	const client = new pg.Client({ connectionString: admin.toString() });
	await client.connect();
	try {
		const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
		if (rowCount) return;
		// Identifiers cannot be bound; quote it the way PostgreSQL does.
		await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
		log(`created database ${name}`);
	} finally {
		await client.end();
	}
}

function parseLayers(value: string | undefined): RecordLayer[] | undefined {
	if (!value) return undefined;
	const layers = value.split(',').map((l) => l.trim()).filter(Boolean);
	const unknown = layers.filter((l) => !(RECORD_LAYERS as string[]).includes(l));
	if (unknown.length) throw new Error(`unknown layer(s): ${unknown.join(', ')}; known: ${RECORD_LAYERS.join(', ')}`);
	return layers as RecordLayer[];
}

async function cli(): Promise<void> {
	const { values } = parseArgs({
		options: {
			scale: { type: 'string', default: '1700' },
			seed: { type: 'string', default: 'hejiang' },
			'database-url': { type: 'string' },
			layers: { type: 'string' },
			reset: { type: 'boolean', default: false }
		}
	});
	const scale = Number(values.scale);
	if (!Number.isFinite(scale) || scale < 1) throw new Error(`--scale must be a number ≥ 1 (got ${values.scale})`);
	const url = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL;
	const result = await loadCity(url, {
		scale,
		seed: values.seed!,
		layers: parseLayers(values.layers),
		reset: values.reset,
		log: (m) => console.log(m)
	});
	if (!result.skipped) {
		const rows = result.timings.reduce((n, t) => n + t.rows, 0);
		console.log(`${rows.toLocaleString('en-US')} rows in ${result.seconds.toFixed(1)} s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	cli().catch((error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
