import type { Knex } from 'knex';

/**
 * Trigram indexes for search (ILIKE on names, addresses and codes). At city size a search
 * scanned 1M buildings and 4M people with ILIKE and took 4–6 s; with these a name of three
 * or more characters is found in about a millisecond, and a shorter query (searched as a
 * prefix, see search.ts) in tens. The small tables (streets, communities, grids) are
 * scanned faster than an index is read. pg_trgm ships with PostgreSQL and with PGlite.
 */
const INDEXES: [table: string, column: string][] = [
	['compounds', 'name'],
	['compounds', 'code'],
	['buildings', 'address'],
	['buildings', 'name'],
	['buildings', 'code'],
	['people', 'name'],
	['people', 'code']
];

const indexName = (table: string, column: string) => `${table}_${column}_trgm`;

export async function up(knex: Knex): Promise<void> {
	await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
	for (const [table, column] of INDEXES) {
		await knex.raw('CREATE INDEX ?? ON ?? USING gin (?? gin_trgm_ops)', [indexName(table, column), table, column]);
	}
}

// Down keeps pg_trgm, as 0100 keeps PostGIS: other objects of the database may use it.
export async function down(knex: Knex): Promise<void> {
	for (const [table, column] of INDEXES) await knex.raw('DROP INDEX IF EXISTS ??', [indexName(table, column)]);
}
