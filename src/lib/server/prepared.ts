/**
 * Running a statement as a named prepared statement on PostgreSQL, the way Martin and
 * `pgbench -M prepared` do: the plan is made once per connection and reused, instead of
 * being made again for every request. Spatial joins plan slowly (PostGIS estimates
 * selectivity from statistics), so on small queries planning was most of the time.
 * The name is a hash of the statement text, so each distinct statement gets its own.
 * On the embedded database, or inside a transaction, it runs as an ordinary query.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

type Connection = { query: (...args: unknown[]) => Promise<{ rows: unknown[] }> };
type Pool = { acquireConnection(): Promise<Connection>; releaseConnection(c: Connection): Promise<void> };

function usesPg(knex: Knex): boolean {
	return (knex.client as { config: { client?: unknown } }).config.client === 'pg' && !knex.isTransaction;
}

/** Runs `text` with positional values ($1, $2, …) by name on PostgreSQL; rows. */
export async function runNative<T>(knex: Knex, name: string, text: string, values: unknown[]): Promise<T[]> {
	const pool = knex.client as unknown as Pool;
	const connection = await pool.acquireConnection();
	try {
		const result = usesPg(knex) ? await connection.query({ name, text, values }) : await connection.query(text, values);
		return result.rows as T[];
	} finally {
		await pool.releaseConnection(connection);
	}
}

/** Runs SQL with knex named bindings (`:value`, `:identifier:`) as a prepared statement; rows. */
export async function run<T = Record<string, unknown>>(knex: Knex, sql: string, bindings: Record<string, unknown> = {}): Promise<T[]> {
	if (!usesPg(knex)) return (await knex.raw(sql, bindings as never)).rows as T[];
	const native = knex.raw(sql, bindings as never).toSQL().toNative();
	const name = `q_${createHash('sha1').update(native.sql).digest('hex').slice(0, 20)}`;
	return runNative<T>(knex, name, native.sql, native.bindings as unknown[]);
}
