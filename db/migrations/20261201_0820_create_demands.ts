import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/**
 * 需求清单 (issue 14, part 3): what residents need, collected by grid workers and building
 * heads, at a point inside its community (the application checks the point; the community is
 * the one covering it), in one of the five categories: open until a project takes it up
 * (matched), done when that project is.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('demands', (t) => {
		t.increments('id');
		t.integer('community_id').notNullable().references('communities.id').onDelete('CASCADE');
		t.text('category').notNullable();
		t.check("category in ('party_building', 'culture_sports', 'poverty_relief', 'health', 'volunteering')", [], 'demands_category_known');
		t.text('title').notNullable();
		t.check("length(btrim(title)) > 0", [], 'demands_title_present');
		t.text('description');
		t.integer('reported_by').references('users.id').onDelete('SET NULL');
		t.integer('building_id').references('buildings.id').onDelete('SET NULL');
		t.text('status').notNullable().defaultTo('open');
		t.check("status in ('open', 'matched', 'done')", [], 'demands_status_known');
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['community_id', 'status']);
		t.index(['category']);
	});
	await addGeometryColumn(knex, 'demands', 'geom', 'Point');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('demands');
}
