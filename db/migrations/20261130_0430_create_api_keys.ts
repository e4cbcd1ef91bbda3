import type { Knex } from 'knex';

/**
 * Open311 API keys an admin issues to another app (a city app, a hotline system) and can
 * revoke. Only a SHA-256 of the key is stored; the key is shown once, when issued.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('api_keys', (t) => {
		t.increments('id');
		t.text('name').notNullable();
		t.text('key_hash').notNullable().unique();
		t.text('source').notNullable().defaultTo('resident');
		t.check("source in ('patrol', 'resident', 'joint_meeting', 'hotline', 'department')", [], 'api_keys_source_known');
		t.integer('created_by').references('users.id').onDelete('SET NULL');
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.timestamp('revoked_at', { useTz: true });
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('api_keys');
}
