import type { Knex } from 'knex';

/**
 * Photos of a case, re-encoded (orientation applied, metadata stripped) and kept in the
 * database with a thumbnail: both doors of the server and every backup see them alike. A
 * photo is uploaded first (pending, known by a random token) and attached by the report or
 * transition that names it; pending ones older than a day are removed.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('case_photos', (t) => {
		t.bigIncrements('id');
		t.text('token').notNullable().unique();
		t.integer('issue_id').references('issues.id').onDelete('CASCADE');
		t.bigInteger('event_id').references('issue_events.id').onDelete('SET NULL');
		t.integer('uploaded_by').references('users.id').onDelete('SET NULL');
		t.text('mime').notNullable();
		t.integer('width').notNullable();
		t.integer('height').notNullable();
		t.binary('bytes').notNullable();
		t.binary('thumb').notNullable();
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['issue_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('case_photos');
}
