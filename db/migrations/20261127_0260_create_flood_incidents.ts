import type { Knex } from 'knex';

/** A flood spot's history: each time it flooded, how deep, after how much rain. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('flood_incidents', (t) => {
		t.increments('id');
		t.integer('flood_spot_id').notNullable().references('flood_spots.id').onDelete('CASCADE');
		t.date('occurred_on').notNullable();
		t.integer('depth_cm');
		t.decimal('rainfall_mm', 6, 1);
		t.text('note');
		t.index(['flood_spot_id', 'occurred_on']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('flood_incidents');
}
