import type { Knex } from 'knex';

/** 施工单位: the contractor building a renovation project (issue 11). */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('renovation_projects', (t) => {
		t.text('contractor');
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('renovation_projects', (t) => {
		t.dropColumn('contractor');
	});
}
