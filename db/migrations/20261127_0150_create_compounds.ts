import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/** 小区 residential compounds, each in one community. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('compounds', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name').notNullable();
		t.integer('community_id').notNullable().references('communities.id').onDelete('RESTRICT');
		t.index('community_id');
		t.boolean('is_old').notNullable().defaultTo(false); // 老旧小区
		t.boolean('has_party_branch').notNullable().defaultTo(false); // 小区党支部
		t.text('property_company');
		t.boolean('is_red_property').notNullable().defaultTo(false); // 红色物业
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await addGeometryColumn(knex, 'compounds', 'geom', 'MultiPolygon');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('compounds');
}
