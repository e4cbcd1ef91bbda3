import type { Knex } from 'knex';

/**
 * Lets a bulk re-derivation skip the per-row trigger: it sets `wangge.bulk_derive` for its
 * own transaction and computes every building's grid and compound in one set-based
 * statement, so the trigger would only redo the same work a million times.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.raw(`
		CREATE OR REPLACE FUNCTION derive_building_owner() RETURNS trigger LANGUAGE plpgsql AS $$
		DECLARE
			point geometry;
		BEGIN
			IF current_setting('wangge.bulk_derive', true) = 'on' THEN
				RETURN NEW;
			END IF;
			point := ST_PointOnSurface(NEW.geom);
			NEW.grid_id := (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, point) ORDER BY g.code LIMIT 1);
			NEW.compound_id := (SELECT c.id FROM compounds c WHERE ST_Covers(c.geom, point) ORDER BY c.code LIMIT 1);
			RETURN NEW;
		END
		$$`);
}

export async function down(knex: Knex): Promise<void> {
	await knex.raw(`
		CREATE OR REPLACE FUNCTION derive_building_owner() RETURNS trigger LANGUAGE plpgsql AS $$
		DECLARE
			point geometry := ST_PointOnSurface(NEW.geom);
		BEGIN
			NEW.grid_id := (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, point) ORDER BY g.code LIMIT 1);
			NEW.compound_id := (SELECT c.id FROM compounds c WHERE ST_Covers(c.geom, point) ORDER BY c.code LIMIT 1);
			RETURN NEW;
		END
		$$`);
}
