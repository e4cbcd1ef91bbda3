/**
 * The bench's second reference: a bare Node HTTP server doing the same work as ours — the
 * same statements as named prepared statements through a `pg` pool, the answer sent back
 * (a tile's bytes gzipped at the same level above 1 KB; JSON gzipped from 4 KB, as ours) — with no
 * framework, session, territory or validation. Beside the raw SQL it shows what HTTP itself
 * costs on this machine, so ours/bare is our server's own overhead.
 *
 * Run as its own process (like our server) so its CPU is told apart:
 *   node --import tsx scripts/bench/bare.ts   (DATABASE_URL, PORT)
 * PUT /fixtures with a JSON body {group, requests: RawRequest[], features?: number[]} sets what
 * GET /r/{i} runs (features: OGC items' page sizes, the answer then the page's FeatureCollection).
 */
import http from 'node:http';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { featureCollection } from './runner.js';

type Statement = { text: string; values: unknown[] };

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10), options: '-c jit=off' });
let group = 'tiles';
let requests: { name: string; text: string; values: unknown[] }[][] = [];
/** OGC items: each fixture's page size (the rows beyond it only tell that a next page exists) */
let features: number[] | undefined;
const gzipAsync = promisify(gzip);

const nameOf = (text: string) => 'bare_' + createHash('sha1').update(text).digest('hex').slice(0, 16);

async function answer(i: number, gzip: boolean, res: http.ServerResponse) {
	const client = await pool.connect();
	let rows: Record<string, unknown>[] = [];
	try {
		for (const s of requests[i]) rows = (await client.query({ name: s.name, text: s.text, values: s.values })).rows;
	} finally {
		client.release();
	}
	if (group === 'tiles') {
		const mvt = rows[0]?.mvt as Buffer | null | undefined;
		if (!mvt || mvt.length === 0) return void res.writeHead(204).end();
		const zipped = gzip && mvt.length >= 1024;
		const body = zipped ? gzipSync(mvt, { level: 1 }) : mvt;
		res.writeHead(200, {
			'Content-Type': 'application/vnd.mapbox-vector-tile',
			'Content-Length': body.length,
			...(zipped ? { 'Content-Encoding': 'gzip' } : {})
		});
		return void res.end(body);
	}
	// JSON as ours sends it: gzipped at level 1 from 4 KB when the client takes gzip (from
	// 64 KB off the event loop); OGC items as the page's FeatureCollection text.
	const json = Buffer.from(features ? featureCollection(rows, features[i]) : JSON.stringify(rows));
	const zipped = gzip && json.length >= 4096;
	const body = zipped ? (json.length < 65_536 ? gzipSync(json, { level: 1 }) : await gzipAsync(json, { level: 1 })) : json;
	res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length, ...(zipped ? { 'Content-Encoding': 'gzip' } : {}) });
	res.end(body);
}

http
	.createServer((req, res) => {
		if (req.method === 'PUT' && req.url === '/fixtures') {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const body = JSON.parse(Buffer.concat(chunks).toString()) as { group: string; requests: Statement[][]; features?: number[] };
				group = body.group;
				features = body.features;
				requests = body.requests.map((r) => r.map((s) => ({ ...s, name: nameOf(s.text) })));
				res.writeHead(204).end();
			});
			return;
		}
		if (req.url === '/health') return void res.writeHead(200).end('ok');
		const m = /^\/r\/(\d+)$/.exec(req.url ?? '');
		if (!m || !requests[Number(m[1])]) return void res.writeHead(404).end();
		answer(Number(m[1]), /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')), res).catch((error) => {
			console.error(error);
			if (!res.headersSent) res.writeHead(500);
			res.end();
		});
	})
	.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('bare server ready'));
