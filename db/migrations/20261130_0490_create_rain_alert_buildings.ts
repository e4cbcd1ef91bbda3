import type { Knex } from 'knex';

/**
 * The buildings of a rain alert, frozen when it starts so progress is stable: each building
 * once, with the grid it lay in and the nearest active flood spot then; a grid worker checks
 * it off (who, when, the water depth seen and the flood incident that depth became).
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('rain_alert_buildings', (t) => {
		t.increments('id');
		t.integer('rain_alert_id').notNullable().references('rain_alerts.id').onDelete('CASCADE');
		t.integer('building_id').notNullable().references('buildings.id').onDelete('CASCADE');
		t.integer('grid_id').references('grids.id').onDelete('SET NULL');
		t.integer('flood_spot_id').notNullable().references('flood_spots.id').onDelete('CASCADE');
		t.decimal('distance_m', 7, 1).notNullable();
		t.timestamp('checked_at', { useTz: true });
		t.text('checked_by');
		t.integer('depth_cm');
		t.check('depth_cm IS NULL OR depth_cm >= 0', [], 'rain_alert_buildings_depth_not_negative');
		t.text('note');
		t.integer('flood_incident_id').references('flood_incidents.id').onDelete('SET NULL');
		t.unique(['rain_alert_id', 'building_id']);
		t.index(['rain_alert_id', 'grid_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('rain_alert_buildings');
}
