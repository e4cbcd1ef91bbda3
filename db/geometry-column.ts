import type { Knex } from 'knex';

export type GeometryType = 'Point' | 'Polygon' | 'MultiPolygon' | 'Geometry';

/**
 * Adds a typed WGS84 geometry column with the three guarantees every spatial table in this
 * project gives: typed with SRID 4326, checked valid and non-empty, GiST-indexed.
 * Table and column names come from migration code, never from input.
 */
export async function addGeometryColumn(
	knex: Knex,
	table: string,
	column: string,
	type: GeometryType,
	opts: { nullable?: boolean } = {}
): Promise<void> {
	const notNull = opts.nullable ? '' : ' NOT NULL';
	await knex.raw(`ALTER TABLE ?? ADD COLUMN ?? geometry(${type}, 4326)${notNull}`, [table, column]);
	await knex.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (ST_IsValid(??) AND NOT ST_IsEmpty(??))`, [
		table,
		`${table}_${column}_valid`,
		column,
		column
	]);
	await knex.raw(`CREATE INDEX ?? ON ?? USING GIST (??)`, [`${table}_${column}_gist`, table, column]);
}
