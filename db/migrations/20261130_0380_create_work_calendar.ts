import type { Knex } from 'knex';

/**
 * The work calendar's exceptions, a row per day that differs from "Monday to Friday work":
 * public holidays on weekdays (working = false) and China's make-up working days (调休) on
 * weekends (working = true). Loaded by year (the State Council publishes each year's in
 * November); `work_calendar_years` says which years are loaded and from what notice.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('work_calendar_years', (t) => {
		t.integer('year').primary();
		t.text('source').notNullable();
		t.boolean('provisional').notNullable().defaultTo(false);
		t.timestamp('loaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await knex.schema.createTable('work_calendar', (t) => {
		t.date('day').primary();
		t.integer('year').notNullable().references('work_calendar_years.year').onDelete('CASCADE');
		t.boolean('working').notNullable();
		t.text('name').notNullable();
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('work_calendar');
	await knex.schema.dropTable('work_calendar_years');
}
