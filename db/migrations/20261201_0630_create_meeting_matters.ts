import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/**
 * The matters of a joint meeting: raised (提出的问题, numbered 1… in the order recorded, each
 * with an optional point and the case it became) and resolved on the spot (现场解决). A
 * matter becomes at most one case: issue_id is unique.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('meeting_matters', (t) => {
		t.increments('id');
		t.integer('activity_id').notNullable().references('first_secretary_activities.id').onDelete('CASCADE');
		t.text('kind').notNullable();
		t.check("kind in ('raised', 'resolved')", [], 'meeting_matters_kind_known');
		t.integer('n').notNullable();
		t.text('text').notNullable();
		t.integer('issue_id').unique().references('issues.id').onDelete('SET NULL');
		t.unique(['activity_id', 'kind', 'n']);
	});
	await addGeometryColumn(knex, 'meeting_matters', 'geom', 'Point', { nullable: true });
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('meeting_matters');
}
