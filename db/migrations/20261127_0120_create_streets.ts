import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/** 街道 streets; towns (镇) and townships (乡) sit at the same level. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('streets', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name').notNullable();
		t.text('kind').notNullable().defaultTo('street');
		t.check("kind in ('street', 'town', 'township')", [], 'streets_kind_known');
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await addGeometryColumn(knex, 'streets', 'geom', 'MultiPolygon');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('streets');
}
