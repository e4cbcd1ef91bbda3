import type { Knex } from 'knex';

/**
 * The history of a renovation project (issue 11): who changed what, when — creation, status
 * steps, progress, money, other edits — one row per change, written in the change's
 * transaction. `changes` maps each field to [before, after].
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('renovation_history', (t) => {
		t.increments('id');
		t.integer('project_id').notNullable().references('renovation_projects.id').onDelete('CASCADE');
		t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.integer('user_id').references('users.id').onDelete('SET NULL');
		t.text('actor_name').notNullable();
		t.text('kind').notNullable();
		t.check("kind in ('created', 'status', 'progress', 'money', 'edited')", [], 'renovation_history_kind_known');
		t.jsonb('changes').notNullable();
		t.index(['project_id', 'at']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('renovation_history');
}
