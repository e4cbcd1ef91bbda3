import type { Knex } from 'knex';

/**
 * 暴雨预警 rain alerts (issue 11 item 4): an admin or planner switches one on, with the
 * rainfall forecast as a note and the buffer in metres around the active flood spots, and
 * off again. At most one is on at a time (the partial unique index).
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('rain_alerts', (t) => {
		t.increments('id');
		t.text('note').notNullable();
		t.decimal('metres', 7, 1).notNullable();
		t.check('metres > 0 AND metres <= 2000', [], 'rain_alerts_metres_range');
		t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.text('started_by').notNullable();
		t.timestamp('ended_at', { useTz: true });
		t.text('ended_by');
		t.check('ended_at IS NULL OR ended_at >= started_at', [], 'rain_alerts_ends_after_start');
	});
	await knex.raw('CREATE UNIQUE INDEX rain_alerts_one_on ON rain_alerts ((true)) WHERE ended_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('rain_alerts');
}
