import type { Knex } from 'knex';

/**
 * Browsers an account has signed in from (OWASP's "device cookie", issue "Close the leaks",
 * point 5). A successful sign-in gives the browser a long-lived random token bound to that
 * account; a later attempt carrying it is counted against that device alone, so a stranger's
 * failures from elsewhere never slow the real user on their usual browser. Only a SHA-256 of
 * the token is stored (32 random bytes need no salt), as for sessions and access tokens.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('sign_in_devices', (t) => {
		t.increments('id');
		t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
		t.text('token_hash').notNullable().unique();
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.timestamp('last_used_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.timestamp('expires_at', { useTz: true }).notNullable();
		t.check('expires_at > created_at', [], 'sign_in_devices_expire_after_creation');
		t.index(['user_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('sign_in_devices');
}
