import type { Knex } from 'knex';

/**
 * A date per lifecycle stage (规划 → 立项 → 施工 → 完工 → 验收, issue 11). Existing rows take
 * what their start and end dates say: a project under construction or later started on
 * start_date, a completed or accepted one completed on end_date.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('renovation_projects', (t) => {
		t.date('planned_on');
		t.date('approved_on');
		t.date('construction_on');
		t.date('completed_on');
		t.date('accepted_on');
	});
	await knex.raw(`UPDATE renovation_projects SET
		construction_on = CASE WHEN status IN ('under_construction', 'completed', 'accepted') THEN start_date END,
		completed_on = CASE WHEN status IN ('completed', 'accepted') THEN end_date END`);
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('renovation_projects', (t) => {
		t.dropColumns('planned_on', 'approved_on', 'construction_on', 'completed_on', 'accepted_on');
	});
}
