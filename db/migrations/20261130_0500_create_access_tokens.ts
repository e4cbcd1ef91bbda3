import type { Knex } from 'knex';

/**
 * Personal access tokens an admin issues for a user account, so desktop GIS (QGIS, GDAL) can
 * read as that user with `Authorization: Bearer …` where no browser cookie exists (issue 12).
 * Only a SHA-256 of the token is stored; the token is shown once, when issued. A token is
 * never deleted, only revoked, so the audit log's `access_token:<id>` keeps naming a row.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('access_tokens', (t) => {
		t.increments('id');
		t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
		t.text('label').notNullable();
		t.check('length(label) between 1 and 100', [], 'access_tokens_label_length');
		t.text('token_hash').notNullable().unique();
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		// Null for the system admin (a CLI), which has no users row.
		t.integer('created_by').references('users.id').onDelete('SET NULL');
		t.timestamp('expires_at', { useTz: true });
		t.check('expires_at is null or expires_at > created_at', [], 'access_tokens_expire_after_creation');
		t.timestamp('revoked_at', { useTz: true });
		t.timestamp('last_used_at', { useTz: true });
		t.index(['user_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('access_tokens');
}
