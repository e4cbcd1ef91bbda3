/**
 * Case creation (issue 10): reports/s through POST /api/cases — the parse, the territory and
 * county checks, the frozen owner chain, the dispatch rule, the deadline on the work calendar,
 * the case and its creation event in one transaction — beside a raw INSERT of the same rows
 * (the case and its event, in one transaction, as prepared statements through `pg`) at the
 * same concurrency. Signed in as a grid worker of the bench city, reporting inside their
 * grids. The rows both make are removed afterwards, so the bench data stays as loaded.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { createSession, hashPassword } from '../../src/lib/server/accounts/accounts.js';
import { SESSION_COOKIE } from '../../src/lib/server/http/session.js';
import type { Stats } from './runner.js';

export const CASE_TITLE = 'bench case';

export interface CaseCreationRow {
	concurrency: number;
	ours: { rps: number; p50: number; p99: number; errors: number };
	raw: { rps: number; p50: number; p99: number; errors: number };
	ratio: number;
}

/** A grid worker of the bench city with a session, and points inside their grids. */
async function gridWorker(knex: Knex): Promise<{ cookie: string; points: [number, number][] }> {
	const { rows } = await knex.raw(`SELECT a.person_id FROM assignments a WHERE a.role = 'grid_worker' AND a.valid_to IS NULL ORDER BY a.id LIMIT 1`);
	const person = rows[0].person_id;
	const [{ id }] = await knex('users')
		.insert({ username: 'bench-grid', role: 'grid_worker', person_id: person, password_hash: await hashPassword(randomBytes(24).toString('base64')) })
		.onConflict('username')
		.merge(['role', 'person_id', 'password_hash', 'disabled'])
		.returning('id');
	const { token } = await createSession(knex, id);
	const { rows: pts } = await knex.raw(
		`SELECT ST_X(p.geom) AS lng, ST_Y(p.geom) AS lat FROM grids g
		 JOIN assignments a ON a.grid_id = g.id AND a.person_id = :person AND a.role = 'grid_worker' AND a.valid_to IS NULL,
		 LATERAL ST_Dump(ST_GeneratePoints(g.geom, 50, 7)) p`,
		{ person }
	);
	return { cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}`, points: pts.map((p: { lng: number; lat: number }) => [Number(p.lng), Number(p.lat)]) };
}

function percentile(sorted: number[], p: number): number {
	return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/** Runs `one` from `concurrency` loops for `seconds` after `warmup`; completions per second and latency. */
async function loop(concurrency: number, seconds: number, warmup: number, one: (i: number) => Promise<boolean>): Promise<Stats & { errors: number }> {
	const latencies: number[] = [];
	let errors = 0;
	let counted = 0;
	const start = performance.now();
	const measureFrom = start + warmup * 1000;
	const end = measureFrom + seconds * 1000;
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (performance.now() < end) {
				const t0 = performance.now();
				const ok = await one(next++);
				const t1 = performance.now();
				if (t0 >= measureFrom && t1 <= end) {
					if (ok) {
						counted++;
						latencies.push(t1 - t0);
					} else errors++;
				}
			}
		})
	);
	latencies.sort((a, b) => a - b);
	return { rps: counted / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests: counted, errors } as Stats & { errors: number };
}

const RAW_CASE = `INSERT INTO issues (code, title, description, category, matter_type, urgency, status, source, reported_at, due_at, resolved_on_site, geom,
	handler_kind, handler_grid_id, handler_community_id, reported_by, idempotency_key)
 VALUES ('R' || lpad(nextval('case_code_seq')::text, 8, '0'), $1, $2, 'environment', 'practical', 'general', 'reported', 'patrol', now(), now() + interval '5 days', false,
	ST_SetSRID(ST_MakePoint($3, $4), 4326), 'grid_worker', $5, $6, $7, NULL) RETURNING id`;
const RAW_EVENT = `INSERT INTO issue_events (issue_id, at, actor_id, actor_user_id, actor_name, from_status, to_status, note, kind) VALUES ($1, now(), NULL, $2, 'bench-grid', NULL, 'reported', NULL, 'created')`;

export async function benchCaseCreation(
	url: string,
	origin: string,
	knex: Knex,
	opts: { seconds: number; warmup: number; concurrencies: number[] },
	log: (m: string) => void
): Promise<CaseCreationRow[]> {
	const { cookie, points } = await gridWorker(knex);
	const { rows: g } = await knex.raw(`SELECT g.id, g.community_id FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL JOIN users u ON u.person_id = a.person_id WHERE u.username = 'bench-grid' LIMIT 1`);
	const user = (await knex('users').where({ username: 'bench-grid' }).first('id')).id;
	const rows: CaseCreationRow[] = [];
	try {
		for (const concurrency of opts.concurrencies) {
			const ours = await loop(concurrency, opts.seconds, opts.warmup, async (i) => {
				const [lng, lat] = points[i % points.length];
				const res = await fetch(`${origin}/api/cases`, {
					method: 'POST',
					headers: { cookie, 'content-type': 'application/json' },
					body: JSON.stringify({ category: 'environment', title: CASE_TITLE, description: '楼下垃圾未清运', lng, lat })
				});
				await res.arrayBuffer();
				return res.status === 201;
			});
			const pool = new pg.Pool({ connectionString: url, max: concurrency });
			const raw = await loop(concurrency, opts.seconds, opts.warmup, async (i) => {
				const [lng, lat] = points[i % points.length];
				const client = await pool.connect();
				try {
					await client.query('BEGIN');
					const { rows: r } = await client.query({ name: 'bench_raw_case', text: RAW_CASE, values: [CASE_TITLE, '楼下垃圾未清运', lng, lat, g[0].id, g[0].community_id, user] });
					await client.query({ name: 'bench_raw_event', text: RAW_EVENT, values: [r[0].id, user] });
					await client.query('COMMIT');
					return true;
				} catch {
					await client.query('ROLLBACK').catch(() => {});
					return false;
				} finally {
					client.release();
				}
			});
			await pool.end();
			const row = { concurrency, ours, raw, ratio: ours.rps / raw.rps };
			rows.push(row);
			log(`case creation c=${concurrency}: ours ${ours.rps.toFixed(1)} reports/s (p50 ${ours.p50.toFixed(1)} ms, p99 ${ours.p99.toFixed(1)} ms, errors ${ours.errors}); raw INSERT ${raw.rps.toFixed(1)}/s (p50 ${raw.p50.toFixed(1)} ms); ours/raw ${row.ratio.toFixed(2)}`);
		}
	} finally {
		// The bench's own cases go; the loaded city stays as it was.
		const { rowCount } = await knex.raw(`DELETE FROM issues WHERE title = :title`, { title: CASE_TITLE });
		log(`case creation: removed the ${rowCount} cases the bench made`);
	}
	return rows;
}
