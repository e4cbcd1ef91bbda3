import type { Knex } from 'knex';

/** People who hold roles: grid workers, building heads, party members, secretaries. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('people', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name').notNullable();
		t.text('phone');
		t.boolean('is_party_member').notNullable().defaultTo(false);
		t.integer('department_id').references('departments.id').onDelete('SET NULL');
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('people');
}
