import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/** 积水点 flood spots: a point or a polygon, linked to the issue that reported it and the project that fixed it. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('flood_spots', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name').notNullable();
		t.text('cause').notNullable();
		t.check("cause in ('low_lying', 'backflow', 'drainage')", [], 'flood_cause_known');
		t.text('severity').notNullable();
		t.check("severity in ('low', 'medium', 'high')", [], 'flood_severity_known');
		t.text('status').notNullable().defaultTo('active');
		t.check("status in ('active', 'monitoring', 'fixed')", [], 'flood_status_known');
		t.integer('issue_id').references('issues.id').onDelete('SET NULL');
		t.integer('project_id').references('renovation_projects.id').onDelete('SET NULL');
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await addGeometryColumn(knex, 'flood_spots', 'geom', 'Geometry');
	await knex.raw(
		"ALTER TABLE flood_spots ADD CONSTRAINT flood_spots_geom_type CHECK (GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON'))"
	);
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('flood_spots');
}
