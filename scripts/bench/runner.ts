/**
 * The two measuring loops of the bench — HTTP against our server, and the raw SQL through
 * `pg` — with the same shape: `concurrency` workers, each taking the next fixture of a
 * fixed list round-robin, for a fixed time after a warm-up, one request in flight per worker.
 * Latencies are kept per request (a few hundred thousand numbers at most) for exact
 * percentiles.
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import pg from 'pg';

export interface Stats {
	requests: number;
	errors: number;
	seconds: number;
	rps: number;
	p50: number;
	p95: number;
	p99: number;
	/** response bytes (HTTP: as sent, compressed when gzip was asked for) */
	bytes: number;
}

/** One raw "request": the statements the endpoint runs, in order, with their bound values. */
export type RawRequest = { text: string; values: unknown[] }[];

/**
 * What the OGC items endpoint makes of a page's rows (getItems in ogc.ts): the first `limit`
 * feature texts PostgreSQL wrote, joined into a FeatureCollection, not parsed. The raw side
 * and the bare server do the same, so all three do that work; ours adds the links.
 */
export function featureCollection(rows: Record<string, unknown>[], limit: number): string {
	const features = rows.length > limit ? rows.slice(0, limit) : rows;
	return `{"type":"FeatureCollection","features":[${features.map((r) => r.feature).join(',')}],"timeStamp":"${new Date().toISOString()}","numberReturned":${features.length}}`;
}

export interface LoopOptions {
	concurrency: number;
	/** measured time, seconds */
	seconds: number;
	/** unmeasured time before it, seconds */
	warmup: number;
	/** called right before and right after the measured run (e.g. to sample CPU) */
	onMeasure?: (phase: 'start' | 'end') => void;
}

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Runs `once(worker, i)` from `concurrency` workers until the deadline; a request started
 * before the deadline is finished and counted, none starts after it.
 */
async function loop(
	opts: LoopOptions,
	once: (worker: number, i: number) => Promise<{ ok: boolean; bytes: number }>,
	fixtures: number
): Promise<Stats> {
	const run = async (seconds: number, record: boolean) => {
		const latencies: number[] = [];
		let errors = 0;
		let bytes = 0;
		const started = performance.now();
		const deadline = started + seconds * 1000;
		let last = started;
		await Promise.all(
			Array.from({ length: opts.concurrency }, async (_, worker) => {
				// Workers start at different fixtures so that they do not move in lockstep.
				let i = Math.floor((worker * fixtures) / opts.concurrency);
				while (performance.now() < deadline) {
					const t0 = performance.now();
					const result = await once(worker, i++ % fixtures);
					const t1 = performance.now();
					last = Math.max(last, t1);
					if (!record) continue;
					if (result.ok) latencies.push(t1 - t0);
					else errors++;
					bytes += result.bytes;
				}
			})
		);
		return { latencies, errors, bytes, seconds: (last - started) / 1000 };
	};
	if (opts.warmup > 0) await run(opts.warmup, false);
	opts.onMeasure?.('start');
	const { latencies, errors, bytes, seconds } = await run(opts.seconds, true);
	opts.onMeasure?.('end');
	latencies.sort((a, b) => a - b);
	return {
		requests: latencies.length,
		errors,
		seconds,
		rps: latencies.length / seconds,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		p99: percentile(latencies, 99),
		bytes
	};
}

export interface HttpOptions extends LoopOptions {
	origin: string;
	/** Accept-Encoding to send: 'gzip' is what a browser (MapLibre) sends */
	encoding: string;
	/** more request headers, e.g. the session cookie */
	headers?: Record<string, string>;
}

/** GETs the paths against our server: keep-alive, no cache validators, body read and dropped. */
export async function runHttp(paths: string[], opts: HttpOptions): Promise<Stats & { statuses: Record<number, number> }> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
	const statuses: Record<number, number> = {};
	const origin = new URL(opts.origin);
	try {
		const stats = await loop(
			opts,
			(_worker, i) =>
				new Promise((resolve) => {
					const req = http.get(
						{
							agent,
							host: origin.hostname,
							port: origin.port,
							path: paths[i],
							// no If-None-Match, and no-cache: every request renders
							headers: { ...opts.headers, 'accept-encoding': opts.encoding, 'cache-control': 'no-cache' }
						},
						(res) => {
							let bytes = 0;
							res.on('data', (chunk: Buffer) => (bytes += chunk.length));
							res.on('end', () => {
								const status = res.statusCode ?? 0;
								statuses[status] = (statuses[status] ?? 0) + 1;
								resolve({ ok: status >= 200 && status < 300, bytes });
							});
							res.on('error', () => resolve({ ok: false, bytes }));
						}
					);
					req.on('error', () => {
						statuses[0] = (statuses[0] ?? 0) + 1;
						resolve({ ok: false, bytes: 0 });
					});
				}),
			paths.length
		);
		return { ...stats, statuses };
	} finally {
		agent.destroy();
	}
}

/** A stable prepared-statement name for a text: the same statement is parsed once per connection. */
export function statementName(text: string): string {
	return 'bench_' + createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/**
 * Runs the raw requests: one connection per worker, each statement as a named prepared
 * statement (pgbench -M prepared), the statements of a request one after another. With
 * `features` (OGC items: each fixture's page size) the last statement's rows are joined into
 * the page's FeatureCollection text.
 */
export async function runRaw(url: string, requests: RawRequest[], opts: LoopOptions & { features?: number[] }): Promise<Stats> {
	const clients = await Promise.all(
		Array.from({ length: opts.concurrency }, async () => {
			// The session settings of the app's own connections (db.ts): no JIT.
			const client = new pg.Client({ connectionString: url, options: '-c jit=off' });
			await client.connect();
			return client;
		})
	);
	const named = requests.map((statements) => statements.map((s) => ({ ...s, name: statementName(s.text) })));
	try {
		return await loop(
			opts,
			async (worker, i) => {
				let bytes = 0;
				try {
					let rows: Record<string, unknown>[] = [];
					for (const statement of named[i]) {
						rows = (await clients[worker].query({ name: statement.name, text: statement.text, values: statement.values })).rows;
						bytes += rowBytes(rows);
					}
					// OGC items: the page's JSON from its rows, as the endpoint writes it.
					if (opts.features) bytes = featureCollection(rows, opts.features[i]).length;
					return { ok: true, bytes };
				} catch {
					return { ok: false, bytes };
				}
			},
			requests.length
		);
	} finally {
		await Promise.all(clients.map((c) => c.end()));
	}
}

/** Size of what came back: the tile bytes for a tile, a rough count otherwise. */
function rowBytes(rows: Record<string, unknown>[]): number {
	let n = 0;
	for (const row of rows) for (const v of Object.values(row)) n += Buffer.isBuffer(v) ? v.length : 8;
	return n;
}
