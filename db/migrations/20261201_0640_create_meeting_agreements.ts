import type { Knex } from 'knex';

/** Agreements signed at a joint meeting (签订的协议): the text and the parties to it. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('meeting_agreements', (t) => {
		t.increments('id');
		t.integer('activity_id').notNullable().references('first_secretary_activities.id').onDelete('CASCADE');
		t.integer('n').notNullable();
		t.text('text').notNullable();
		t.specificType('parties', 'text[]').notNullable().defaultTo('{}');
		t.unique(['activity_id', 'n']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('meeting_agreements');
}
