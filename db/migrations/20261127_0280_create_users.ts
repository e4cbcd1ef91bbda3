import type { Knex } from 'knex';

/**
 * Accounts. A user's territory is not stored here: it comes from the assignments of the
 * person the account belongs to (a grid worker's grids, a building head's buildings).
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('users', (t) => {
		t.increments('id');
		t.text('username').notNullable().unique();
		t.text('password_hash').notNullable();
		t.text('role').notNullable();
		t.check(
			"role in ('admin', 'planner', 'housing', 'department', 'community_admin', 'grid_worker', 'building_head')",
			[],
			'users_role_known'
		);
		t.integer('person_id').references('people.id').onDelete('SET NULL');
		t.integer('department_id').references('departments.id').onDelete('SET NULL');
		t.boolean('disabled').notNullable().defaultTo(false);
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('users');
}
