import type { Knex } from 'knex';

/**
 * A building's grid and compound come from geometry: the grid and compound that cover its
 * point on surface. Written as a trigger so that no insert or update path can bypass it;
 * ties (a point on a shared edge) go to the lowest code so the answer is deterministic.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.raw(`
		CREATE FUNCTION derive_building_owner() RETURNS trigger LANGUAGE plpgsql AS $$
		DECLARE
			point geometry := ST_PointOnSurface(NEW.geom);
		BEGIN
			NEW.grid_id := (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, point) ORDER BY g.code LIMIT 1);
			NEW.compound_id := (SELECT c.id FROM compounds c WHERE ST_Covers(c.geom, point) ORDER BY c.code LIMIT 1);
			RETURN NEW;
		END
		$$`);
	await knex.raw(`
		CREATE TRIGGER buildings_derive_owner
		BEFORE INSERT OR UPDATE OF geom, grid_id, compound_id ON buildings
		FOR EACH ROW EXECUTE FUNCTION derive_building_owner()`);
}

export async function down(knex: Knex): Promise<void> {
	await knex.raw('DROP TRIGGER buildings_derive_owner ON buildings');
	await knex.raw('DROP FUNCTION derive_building_owner()');
}
