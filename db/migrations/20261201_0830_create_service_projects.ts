import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/**
 * 项目清单 (issue 14, part 3): a service project agreed (usually at a joint meeting, whose
 * record it may name) in a community, matching a demand to a resource, with its progress and
 * where it happens (a point or an area, optional). A demand is taken up by one project at most.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('service_projects', (t) => {
		t.increments('id');
		t.integer('meeting_id').references('first_secretary_activities.id').onDelete('SET NULL');
		t.integer('community_id').notNullable().references('communities.id').onDelete('CASCADE');
		t.text('category').notNullable();
		t.check("category in ('party_building', 'culture_sports', 'poverty_relief', 'health', 'volunteering')", [], 'service_projects_category_known');
		t.text('title').notNullable();
		t.check("length(btrim(title)) > 0", [], 'service_projects_title_present');
		t.integer('demand_id').unique().references('demands.id').onDelete('SET NULL');
		t.integer('resource_id').references('resources.id').onDelete('SET NULL');
		t.text('status').notNullable().defaultTo('planned');
		t.check("status in ('planned', 'in_progress', 'done')", [], 'service_projects_status_known');
		t.integer('progress_pct').notNullable().defaultTo(0);
		t.check('progress_pct between 0 and 100', [], 'service_projects_progress_range');
		t.date('started_on');
		t.date('done_on');
		t.check('done_on IS NULL OR started_on IS NULL OR done_on >= started_on', [], 'service_projects_dates_ordered');
		t.check("(status = 'done') = (done_on IS NOT NULL)", [], 'service_projects_done_dated');
		t.text('created_by').notNullable();
		t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['community_id', 'status']);
		t.index(['resource_id']);
		t.index(['meeting_id']);
	});
	await addGeometryColumn(knex, 'service_projects', 'geom', 'Geometry', { nullable: true });
	await knex.raw(`ALTER TABLE service_projects ADD CONSTRAINT service_projects_geom_kind CHECK (geom IS NULL OR GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON'))`);
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('service_projects');
}
