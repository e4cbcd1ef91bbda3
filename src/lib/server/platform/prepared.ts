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
import { scopeBindings, scopeVariant, type Scope } from '../ownership/territory.js';
import { recordStatement } from './sql-record.js';

type Connection = { query: (...args: unknown[]) => Promise<{ rows: unknown[] }> };
type Pool = { acquireConnection(): Promise<Connection>; releaseConnection(c: Connection): Promise<void> };

function usesPg(knex: Knex): boolean {
	return (knex.client as { config: { client?: unknown } }).config.client === 'pg' && !knex.isTransaction;
}

/** Runs `text` with positional values ($1, $2, …) by name on PostgreSQL; rows. */
async function runNative<T>(knex: Knex, name: string, text: string, values: unknown[]): Promise<T[]> {
	// Sent past knex (its 'query' event does not see it): recorded here.
	recordStatement(text);
	const pool = knex.client as unknown as Pool;
	const connection = await pool.acquireConnection();
	try {
		const result = usesPg(knex) ? await connection.query({ name, text, values }) : await connection.query(text, values);
		return result.rows as T[];
	} finally {
		await pool.releaseConnection(connection);
	}
}

/**
 * A statement with knex-style named bindings (`:value`, `:identifier:`) turned into
 * positional parameters, with its statement name. Compiled once per text and identifier
 * values: building it anew (knex's regex pass over a few KB of SQL and a hash) cost as much
 * as a small query.
 */
interface Compiled {
	name: string;
	text: string;
	/** the binding name of each positional parameter, in order ($1, $2, …) */
	order: string[];
}

// The same pattern knex's raw formatter uses: `:name:` is an identifier, `:name` a value,
// `::type` a cast (its name is not a binding), and a backslash escapes.
const NAMED = /\\?(:(\w+):(?=::)|:(\w+):(?!:)|:(\w+))/g;
/** per SQL text: the names used as identifiers, and the compiled statement per identifier values */
const compiled = new Map<string, { identifiers: string[]; variants: Map<string, Compiled> }>();

function quoteIdentifier(value: unknown): string {
	return String(value)
		.split('.')
		.map((part) => `"${part.replaceAll('"', '""')}"`)
		.join('.');
}

/** Exported for its test: the positional form of a named-binding statement. */
export function compile(sql: string, bindings: Record<string, unknown>): Compiled {
	let entry = compiled.get(sql);
	if (!entry) {
		const identifiers = [...new Set([...sql.matchAll(NAMED)].map((m) => m[2] ?? m[3]).filter((name) => name !== undefined))];
		entry = { identifiers, variants: new Map() };
		compiled.set(sql, entry);
	}
	const key = entry.identifiers.map((name) => (name in bindings ? String(bindings[name]) : '\u0000')).join('\u0000');
	const hit = entry.variants.get(key);
	if (hit) return hit;
	const order: string[] = [];
	const text = sql.replace(NAMED, (match, _whole, identA?: string, identB?: string, value?: string) => {
		if (match.startsWith('\\')) return match.slice(1);
		const identifier = identA ?? identB;
		if (identifier !== undefined) return identifier in bindings ? quoteIdentifier(bindings[identifier]) : match;
		if (value === undefined || !(value in bindings)) return match;
		order.push(value);
		return `$${order.length}`;
	});
	const statement = { name: `q_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text, order };
	entry.variants.set(key, statement);
	return statement;
}

export interface Statement {
	sql: string;
	bindings: Record<string, unknown>;
}

const STATEMENTS = new Map<string, Statement>();

/**
 * A statement built once per variant — its key names the variant, e.g. the area level and
 * the scope's variant (territory.ts) — rather than on every request: building the owner
 * statement, some 5 KB of text, and looking its compiled form up cost 57 µs a request. The
 * caller's territory, the one binding that differs between callers of a variant, is bound
 * afresh each time.
 */
export function statementFor(key: string, scope: Scope, build: () => Statement): Statement {
	const variantKey = `${key}|${scopeVariant(scope)}`;
	let built = STATEMENTS.get(variantKey);
	if (!built) STATEMENTS.set(variantKey, (built = build()));
	return { sql: built.sql, bindings: { ...built.bindings, ...scopeBindings(scope) } };
}

/** Runs SQL with knex named bindings (`:value`, `:identifier:`) as a prepared statement; rows. */
export async function run<T = Record<string, unknown>>(knex: Knex, sql: string, bindings: Record<string, unknown> = {}): Promise<T[]> {
	if (!usesPg(knex)) return (await knex.raw(sql, bindings as never)).rows as T[];
	const statement = compile(sql, bindings);
	return runNative<T>(
		knex,
		statement.name,
		statement.text,
		statement.order.map((name) => bindings[name])
	);
}
