import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/**
 * 走访 visits (issue 13): a field worker's visit to a building or one household of it — when
 * they were there (the phone's time: a visit recorded offline arrives later), what they found
 * (正常 normal, 需关注 attention, 已上报问题 reported, with the case reported about it), where the
 * phone was, and the building's grid at recording, so monthly coverage per grid stays what it
 * was when a boundary later moves. Codes V00000001… come from their own sequence, as case
 * codes do; a phone's idempotency key makes a resent visit count once.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.raw('CREATE SEQUENCE visit_code_seq');
	await knex.schema.createTable('visits', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique().defaultTo(knex.raw(`'V' || lpad(nextval('visit_code_seq')::text, 8, '0')`));
		t.integer('building_id').notNullable().references('buildings.id').onDelete('CASCADE');
		t.text('household');
		t.timestamp('visited_at', { useTz: true }).notNullable();
		t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.text('situation').notNullable();
		t.check("situation in ('normal', 'attention', 'reported')", [], 'visits_situation_known');
		t.text('note');
		t.integer('issue_id').references('issues.id').onDelete('SET NULL');
		t.integer('visitor_user_id').references('users.id').onDelete('SET NULL');
		t.integer('grid_id').references('grids.id').onDelete('SET NULL');
		t.text('idempotency_key').unique();
		t.index(['building_id', 'visited_at']);
		t.index(['grid_id', 'visited_at']);
	});
	await addGeometryColumn(knex, 'visits', 'position', 'Point', { nullable: true });
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('visits');
	await knex.raw('DROP SEQUENCE visit_code_seq');
}
