import type { Knex } from 'knex';

/**
 * Every change to a community's liaison departments (issue 14): a link added or removed, the
 * lead unit set or unset, the part-time deputy secretary named or cleared — who, when, what
 * it was before and after, and why. A removed link's rows stay, so the history outlives it.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('community_liaison_history', (t) => {
		t.increments('id');
		t.integer('department_id').notNullable().references('departments.id').onDelete('CASCADE');
		t.integer('community_id').notNullable().references('communities.id').onDelete('CASCADE');
		t.text('action').notNullable();
		t.check(
			"action in ('added', 'removed', 'lead_set', 'lead_unset', 'deputy_set', 'deputy_unset')",
			[],
			'community_liaison_history_action_known'
		);
		t.jsonb('before');
		t.jsonb('after');
		t.text('reason').notNullable();
		t.text('actor').notNullable();
		t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['department_id', 'at']);
		t.index(['community_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('community_liaison_history');
}
