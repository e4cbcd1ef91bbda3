import { describe, expect, it } from 'vitest';
import knexFactory from 'knex';
import { compile } from '../../src/lib/server/platform/prepared.js';

// knex's own conversion is the reference: the cached compiler must send PostgreSQL the same
// statement with the same values in the same order.
const knex = knexFactory({ client: 'pg' });

function viaKnex(sql: string, bindings: Record<string, unknown>) {
	const native = knex.raw(sql, bindings as never).toSQL().toNative();
	return { text: native.sql, values: native.bindings };
}

function viaCompile(sql: string, bindings: Record<string, unknown>) {
	const statement = compile(sql, bindings);
	return { text: statement.text, values: statement.order.map((name) => bindings[name]) };
}

describe('compile (named bindings → positional, cached)', () => {
	const cases: [string, string, Record<string, unknown>][] = [
		['values, repeated names and casts', `SELECT :a::int + :b, '[]'::json, CAST(:a AS text) WHERE x = :b`, { a: 1, b: 'two' }],
		['identifiers', 'SELECT t.:column: FROM :table: t WHERE t.code = :code', { column: 'grid_id', table: 'grids', code: 'G1' }],
		['a name that is not a binding stays', 'SELECT :missing, :a', { a: 3 }],
		['an escaped colon', 'SELECT \\:a, :a', { a: 4 }],
		['an identifier before a cast', 'SELECT :col:::text FROM t', { col: 'name' }]
	];
	for (const [what, sql, bindings] of cases) {
		it(what, () => expect(viaCompile(sql, bindings)).toEqual(viaKnex(sql, bindings)));
	}

	it('gives each identifier value its own statement, and the same one again from the cache', () => {
		const sql = 'SELECT count(*) FROM assignments a WHERE a.:column: = :id';
		const grid = compile(sql, { column: 'grid_id', id: 1 });
		const building = compile(sql, { column: 'building_id', id: 1 });
		expect(grid.text).toContain('"grid_id"');
		expect(building.text).toContain('"building_id"');
		expect(grid.name).not.toBe(building.name);
		expect(compile(sql, { column: 'grid_id', id: 2 })).toBe(grid);
	});
});
