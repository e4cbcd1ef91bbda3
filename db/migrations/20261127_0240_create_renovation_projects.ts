import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/** 老旧小区改造 renovation projects: area polygons with money, dates and progress. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('renovation_projects', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name').notNullable();
		t.text('status').notNullable().defaultTo('planned');
		t.check(
			"status in ('planned', 'approved', 'under_construction', 'completed', 'accepted')",
			[],
			'renovation_status_known'
		);
		t.integer('batch');
		// Money in whole yuan; bigint because a city's programme passes 2^31.
		t.bigInteger('budget_yuan').notNullable().defaultTo(0);
		t.bigInteger('funds_secured_yuan').notNullable().defaultTo(0);
		t.bigInteger('spent_yuan').notNullable().defaultTo(0);
		t.check('budget_yuan >= 0 AND funds_secured_yuan >= 0 AND spent_yuan >= 0', [], 'renovation_money_not_negative');
		t.date('start_date');
		t.date('end_date');
		t.integer('progress_pct').notNullable().defaultTo(0);
		t.check('progress_pct BETWEEN 0 AND 100', [], 'renovation_progress_pct');
		t.boolean('is_demonstration').notNullable().defaultTo(false); // 示范小区
		t.boolean('party_branch_set_up').notNullable().defaultTo(false); // 改+治
		t.boolean('red_property').notNullable().defaultTo(false);
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await addGeometryColumn(knex, 'renovation_projects', 'geom', 'MultiPolygon');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('renovation_projects');
}
