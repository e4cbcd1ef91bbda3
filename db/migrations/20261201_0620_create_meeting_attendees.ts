import type { Knex } from 'knex';

/**
 * Who attended a joint meeting (共驻共建联席会): each row a name as written down, and the
 * person of the roster it is when the record named a person code.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('meeting_attendees', (t) => {
		t.increments('id');
		t.integer('activity_id').notNullable().references('first_secretary_activities.id').onDelete('CASCADE');
		t.text('name').notNullable();
		t.integer('person_id').references('people.id').onDelete('SET NULL');
		t.index(['activity_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('meeting_attendees');
}
