import type { Knex } from 'knex';

/**
 * 双报到党员 (issue 14, part 4): an in-service party member (在职党员) registered to their home
 * community, employed by a county department or, when not, by a named unit; optionally at their
 * home building (the application checks it lies in the community). Leaving ends the
 * registration (left_on); the row stays, with its service history.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('party_members', (t) => {
		t.increments('id');
		t.text('name').notNullable();
		t.check('length(btrim(name)) > 0', [], 'party_members_name_present');
		t.integer('department_id').references('departments.id').onDelete('SET NULL');
		t.text('unit_name');
		t.check('department_id IS NOT NULL OR length(btrim(unit_name)) > 0', [], 'party_members_employer_named');
		t.integer('community_id').notNullable().references('communities.id').onDelete('CASCADE');
		t.integer('building_id').references('buildings.id').onDelete('SET NULL');
		t.date('registered_on').notNullable().defaultTo(knex.raw('current_date'));
		t.date('left_on');
		t.check('left_on IS NULL OR left_on >= registered_on', [], 'party_members_dates_ordered');
		t.text('created_by').notNullable();
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['community_id']);
		t.index(['department_id']);
		t.index(['building_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('party_members');
}
