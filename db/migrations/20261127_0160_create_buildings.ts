import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/**
 * 楼栋 buildings. `anchor` is the stored point on surface that ownership is derived from;
 * grid_id and compound_id are filled by the trigger of the next migration, never by hand.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('buildings', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name');
		t.text('address');
		t.integer('floors').checkPositive('buildings_floors_positive');
		t.integer('households').notNullable().defaultTo(0);
		t.check('households >= 0', [], 'buildings_households_not_negative');
		t.integer('grid_id').references('grids.id').onDelete('SET NULL');
		t.integer('compound_id').references('compounds.id').onDelete('SET NULL');
		t.index('grid_id');
		t.index('compound_id');
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await addGeometryColumn(knex, 'buildings', 'geom', 'MultiPolygon');
	// Stored, so that bulk re-derivation and point queries use a plain point index.
	await knex.raw(
		'ALTER TABLE buildings ADD COLUMN anchor geometry(Point, 4326) GENERATED ALWAYS AS (ST_PointOnSurface(geom)) STORED'
	);
	await knex.raw('CREATE INDEX buildings_anchor_gist ON buildings USING GIST (anchor)');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('buildings');
}
