import type { Knex } from 'knex';

/** Every transition of an issue: who, when, from, to, note. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('issue_events', (t) => {
		t.bigIncrements('id');
		t.integer('issue_id').notNullable().references('issues.id').onDelete('CASCADE');
		t.timestamp('at', { useTz: true }).notNullable();
		t.integer('actor_id').references('people.id').onDelete('SET NULL');
		t.text('from_status');
		t.text('to_status').notNullable();
		t.text('note');
		t.index(['issue_id', 'at']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('issue_events');
}
