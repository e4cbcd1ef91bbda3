import type { Knex } from 'knex';

/**
 * 资源清单 (issue 14, part 3): what a county department or another unit (驻区单位) offers, in
 * one of the seed's five categories, optionally for one community. A row names a department
 * or a unit, never neither.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('resources', (t) => {
		t.increments('id');
		t.integer('department_id').references('departments.id').onDelete('CASCADE');
		t.text('unit_name');
		t.integer('community_id').references('communities.id').onDelete('SET NULL');
		t.text('category').notNullable();
		t.check("category in ('party_building', 'culture_sports', 'poverty_relief', 'health', 'volunteering')", [], 'resources_category_known');
		t.text('title').notNullable();
		t.check("length(btrim(title)) > 0", [], 'resources_title_present');
		t.text('description');
		t.text('capacity');
		t.check('department_id IS NOT NULL OR length(btrim(unit_name)) > 0', [], 'resources_provider_named');
		t.text('created_by').notNullable();
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['category']);
		t.index(['department_id']);
		t.index(['community_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('resources');
}
