import type { Knex } from 'knex';

/** Sign-in sessions; only a hash of the cookie's token is stored, so a leaked table opens nothing. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('sessions', (t) => {
		t.text('token_hash').primary();
		t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.timestamp('expires_at', { useTz: true }).notNullable();
		t.index(['user_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('sessions');
}
