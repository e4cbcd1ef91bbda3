import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/** 问题 issues: a point, optionally a building, in a closed-loop workflow. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('issues', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('title').notNullable();
		t.text('description');
		t.text('category').notNullable();
		t.text('matter_type').notNullable();
		t.check(
			"matter_type in ('major', 'practical', 'important', 'urgent', 'difficult')",
			[],
			'issues_matter_type_known'
		);
		t.text('urgency').notNullable().defaultTo('general');
		t.check("urgency in ('general', 'urgent')", [], 'issues_urgency_known');
		t.text('status').notNullable().defaultTo('reported');
		t.check(
			"status in ('reported', 'registered', 'rejected', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed', 'returned', 'escalated', 'backlog')",
			[],
			'issues_status_known'
		);
		t.text('source').notNullable();
		t.check(
			"source in ('patrol', 'resident', 'joint_meeting', 'hotline', 'department')",
			[],
			'issues_source_known'
		);
		t.timestamp('reported_at', { useTz: true }).notNullable();
		t.timestamp('due_at', { useTz: true });
		t.boolean('resolved_on_site').notNullable().defaultTo(false);
		t.integer('building_id').references('buildings.id').onDelete('SET NULL');
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['status']);
		t.index(['category']);
		t.index(['reported_at']);
		t.index(['building_id']);
	});
	await addGeometryColumn(knex, 'issues', 'geom', 'Point');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('issues');
}
