import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/**
 * Boundary history. A grid's or community's current outline lives in its own table with the
 * date it took effect (boundary_valid_from); each outline it replaced is kept here with the
 * days it was in force [valid_from, valid_to), so "who owned this point on that day" has an
 * answer after boundaries move.
 */
export async function up(knex: Knex): Promise<void> {
	for (const table of ['grids', 'communities']) {
		await knex.schema.alterTable(table, (t) => {
			t.date('boundary_valid_from').notNullable().defaultTo('2000-01-01');
		});
	}
	await knex.schema.createTable('boundary_versions', (t) => {
		t.increments('id');
		t.text('level').notNullable();
		t.check("level in ('grid', 'community')", [], 'boundary_versions_level_known');
		t.integer('area_id').notNullable();
		t.date('valid_from').notNullable();
		t.date('valid_to').notNullable();
		t.check('valid_to >= valid_from', [], 'boundary_versions_valid_range');
		t.text('changed_by').notNullable();
		t.text('reason').notNullable();
		t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['level', 'area_id', 'valid_from']);
	});
	await addGeometryColumn(knex, 'boundary_versions', 'geom', 'MultiPolygon');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('boundary_versions');
	for (const table of ['grids', 'communities']) {
		await knex.schema.alterTable(table, (t) => t.dropColumn('boundary_valid_from'));
	}
}
