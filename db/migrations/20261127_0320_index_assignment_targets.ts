import type { Knex } from 'knex';

/** The two assignment targets left without an index: a compound's or street's people scanned every assignment. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('assignments', (t) => {
		t.index(['compound_id']);
		t.index(['street_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('assignments', (t) => {
		t.dropIndex(['compound_id']);
		t.dropIndex(['street_id']);
	});
}
