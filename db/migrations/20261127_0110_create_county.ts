import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/** The county outline (合江县): the frame every other layer sits in. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('county', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name').notNullable();
		t.text('source');
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await addGeometryColumn(knex, 'county', 'geom', 'MultiPolygon');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('county');
}
