import type { Knex } from 'knex';

/** One row per change that matters (imports, sample loads, later edits): who, what, when. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('audit_log', (t) => {
		t.bigIncrements('id');
		t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.text('actor').notNullable();
		t.text('action').notNullable();
		t.text('entity').notNullable();
		t.jsonb('detail');
		t.index(['entity', 'at']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('audit_log');
}
