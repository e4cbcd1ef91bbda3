import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/** 网格 grids, the unit of daily management, each inside one community. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('grids', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name').notNullable();
		t.integer('community_id').notNullable().references('communities.id').onDelete('RESTRICT');
		t.index('community_id');
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await addGeometryColumn(knex, 'grids', 'geom', 'MultiPolygon');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('grids');
}
