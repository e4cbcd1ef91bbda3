import type { Knex } from 'knex';

/**
 * 改造资金 by source (issue 11): money of a renovation project per source (central, provincial,
 * county, residents, social capital) and kind (planned, secured, spent). The project's totals
 * (budget_yuan, funds_secured_yuan, spent_yuan) are the sums of these rows whenever a project
 * has any for a kind; renovation.ts writes both in one transaction.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('renovation_funds', (t) => {
		t.increments('id');
		t.integer('project_id').notNullable().references('renovation_projects.id').onDelete('CASCADE');
		t.text('source').notNullable();
		t.check("source in ('central', 'provincial', 'county', 'residents', 'social_capital')", [], 'renovation_funds_source_known');
		t.text('kind').notNullable();
		t.check("kind in ('planned', 'secured', 'spent')", [], 'renovation_funds_kind_known');
		t.bigInteger('amount_yuan').notNullable();
		t.check('amount_yuan >= 0', [], 'renovation_funds_not_negative');
		t.unique(['project_id', 'source', 'kind']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('renovation_funds');
}
