import type { Knex } from 'knex';

/**
 * Before/after photos of a renovation project (issue 11), re-encoded like case photos
 * (photo-processing.ts: orientation applied, metadata stripped) and kept with a thumbnail.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('renovation_photos', (t) => {
		t.bigIncrements('id');
		t.integer('project_id').notNullable().references('renovation_projects.id').onDelete('CASCADE');
		t.text('phase').notNullable();
		t.check("phase in ('before', 'after')", [], 'renovation_photos_phase_known');
		t.integer('uploaded_by').references('users.id').onDelete('SET NULL');
		t.text('mime').notNullable();
		t.integer('width').notNullable();
		t.integer('height').notNullable();
		t.binary('bytes').notNullable();
		t.binary('thumb').notNullable();
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['project_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('renovation_photos');
}
