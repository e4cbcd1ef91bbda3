import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/** 社区 communities, each in one street. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('communities', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name').notNullable();
		t.integer('street_id').notNullable().references('streets.id').onDelete('RESTRICT');
		t.index('street_id');
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await addGeometryColumn(knex, 'communities', 'geom', 'MultiPolygon');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('communities');
}
