import type { Knex } from 'knex';

/**
 * 考核评价 (issue 14, part 5): what people write into a year's evaluation, per community or
 * per department — the self-report (晒绩自评) and the county's score (组织考评). Everything
 * else an evaluation shows is computed from the cases, 三个一 and 三张清单 (evaluation.ts).
 * A row is a community's or a department's, never both; one per year each (partial unique
 * indexes, since the other column is null).
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('evaluations', (t) => {
		t.increments('id');
		t.integer('year').notNullable();
		t.check('year between 2000 and 2100', [], 'evaluations_year_range');
		t.integer('community_id').references('communities.id').onDelete('CASCADE');
		t.integer('department_id').references('departments.id').onDelete('CASCADE');
		t.check('(community_id IS NULL) <> (department_id IS NULL)', [], 'evaluations_one_subject');
		t.text('self_report');
		t.check('self_report IS NULL OR char_length(self_report) <= 4000', [], 'evaluations_self_report_length');
		t.decimal('county_score', 5, 1);
		t.check('county_score IS NULL OR county_score between 0 and 100', [], 'evaluations_county_score_range');
		t.text('updated_by').notNullable();
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await knex.raw('CREATE UNIQUE INDEX evaluations_year_community ON evaluations (year, community_id) WHERE community_id IS NOT NULL');
	await knex.raw('CREATE UNIQUE INDEX evaluations_year_department ON evaluations (year, department_id) WHERE department_id IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('evaluations');
}
