import type { Knex } from 'knex';

/**
 * A rain-alert check may come from a phone that was offline (issue 13): checked_at is then the
 * phone's time, recorded_at when the server got it; the phone's idempotency key makes a resent
 * check count once, and its position says where it was.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('rain_alert_buildings', (t) => {
		t.timestamp('check_recorded_at', { useTz: true });
		t.text('check_idempotency_key').unique();
	});
	await knex.raw(`ALTER TABLE rain_alert_buildings ADD COLUMN check_position geometry(Point, 4326)
		CONSTRAINT rain_alert_buildings_check_position_valid CHECK (ST_IsValid(check_position) AND NOT ST_IsEmpty(check_position))`);
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('rain_alert_buildings', (t) => {
		t.dropColumns('check_recorded_at', 'check_idempotency_key', 'check_position');
	});
}
