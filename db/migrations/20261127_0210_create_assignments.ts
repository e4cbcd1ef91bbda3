import type { Knex } from 'knex';

/**
 * An assignment is (person, role, area or building, valid_from, valid_to); rows are closed,
 * never deleted, so history stays queryable. valid_to is the first day the role is no longer
 * held (exclusive), so ending a role today takes effect today. The target is one of five real foreign keys
 * (exactly one set) rather than a loose (level, id) pair, so the database keeps it honest.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('assignments', (t) => {
		t.increments('id');
		t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE');
		t.text('role').notNullable();
		t.check(
			"role in ('building_head', 'party_group_leader', 'grid_worker', 'registered_party_member', 'community_secretary', 'first_secretary', 'street_secretary', 'compound_branch_secretary')",
			[],
			'assignments_role_known'
		);
		t.integer('street_id').references('streets.id').onDelete('CASCADE');
		t.integer('community_id').references('communities.id').onDelete('CASCADE');
		t.integer('grid_id').references('grids.id').onDelete('CASCADE');
		t.integer('compound_id').references('compounds.id').onDelete('CASCADE');
		t.integer('building_id').references('buildings.id').onDelete('CASCADE');
		t.check(
			'num_nonnulls(street_id, community_id, grid_id, compound_id, building_id) = 1',
			[],
			'assignments_one_target'
		);
		t.date('valid_from').notNullable();
		t.date('valid_to');
		t.check('valid_to IS NULL OR valid_to >= valid_from', [], 'assignments_valid_range');
		t.text('reason');
		t.index(['person_id']);
		t.index(['grid_id']);
		t.index(['building_id']);
		t.index(['community_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('assignments');
}
