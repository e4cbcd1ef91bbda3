import type { Knex } from 'knex';

/**
 * The one rule for "the area covering a point", in the database: the area whose outline
 * covers the point (its boundary included) and, where outlines share an edge or overlap, the
 * one with the lowest code. One function per level, so queries read
 * `LEFT JOIN LATERAL covering_grid(p) g ON true` and the building trigger reads the same.
 * Each is a single SQL SELECT, STABLE: PostgreSQL inlines it into the calling statement,
 * where the GiST index of the table does the work, as if it were written out in place.
 * `grids_on(day)` and `communities_on(day)` are the outlines in force on a day (the current
 * one if it took effect by then, else the version in boundary_versions), with
 * `covering_grid_on` and `covering_community_on` the same rule over them.
 */
const LEVELS: [fn: string, table: string][] = [
	['covering_street', 'streets'],
	['covering_community', 'communities'],
	['covering_grid', 'grids'],
	['covering_compound', 'compounds'],
	['covering_building', 'buildings']
];

export async function up(knex: Knex): Promise<void> {
	for (const [fn, table] of LEVELS) {
		await knex.raw(`CREATE FUNCTION ??(p geometry) RETURNS SETOF ?? LANGUAGE sql STABLE PARALLEL SAFE AS $$
			SELECT * FROM ${table} WHERE ST_Covers(geom, p) ORDER BY code LIMIT 1 $$`, [fn, table]);
	}
	await knex.raw(`CREATE FUNCTION grids_on(day date) RETURNS TABLE (id integer, code text, name text, community_id integer, geom geometry)
		LANGUAGE sql STABLE PARALLEL SAFE AS $$
		SELECT g.id, g.code, g.name, g.community_id, g.geom FROM grids g WHERE g.boundary_valid_from <= day
		UNION ALL
		SELECT g.id, g.code, g.name, g.community_id, v.geom FROM boundary_versions v JOIN grids g ON g.id = v.area_id
		WHERE v.level = 'grid' AND v.valid_from <= day AND v.valid_to > day $$`);
	await knex.raw(`CREATE FUNCTION communities_on(day date) RETURNS TABLE (id integer, code text, name text, street_id integer, geom geometry)
		LANGUAGE sql STABLE PARALLEL SAFE AS $$
		SELECT c.id, c.code, c.name, c.street_id, c.geom FROM communities c WHERE c.boundary_valid_from <= day
		UNION ALL
		SELECT c.id, c.code, c.name, c.street_id, v.geom FROM boundary_versions v JOIN communities c ON c.id = v.area_id
		WHERE v.level = 'community' AND v.valid_from <= day AND v.valid_to > day $$`);
	await knex.raw(`CREATE FUNCTION covering_grid_on(p geometry, day date) RETURNS TABLE (id integer, code text, name text, community_id integer, geom geometry)
		LANGUAGE sql STABLE PARALLEL SAFE AS $$
		SELECT * FROM grids_on(day) g WHERE ST_Covers(g.geom, p) ORDER BY g.code LIMIT 1 $$`);
	await knex.raw(`CREATE FUNCTION covering_community_on(p geometry, day date) RETURNS TABLE (id integer, code text, name text, street_id integer, geom geometry)
		LANGUAGE sql STABLE PARALLEL SAFE AS $$
		SELECT * FROM communities_on(day) c WHERE ST_Covers(c.geom, p) ORDER BY c.code LIMIT 1 $$`);
	// The building trigger of migrations 0170 and 0300, now by the rule above.
	await knex.raw(`
		CREATE OR REPLACE FUNCTION derive_building_owner() RETURNS trigger LANGUAGE plpgsql AS $$
		DECLARE
			point geometry;
		BEGIN
			IF current_setting('wangge.bulk_derive', true) = 'on' THEN
				RETURN NEW;
			END IF;
			point := ST_PointOnSurface(NEW.geom);
			NEW.grid_id := (SELECT g.id FROM covering_grid(point) g);
			NEW.compound_id := (SELECT k.id FROM covering_compound(point) k);
			RETURN NEW;
		END
		$$`);
}

export async function down(knex: Knex): Promise<void> {
	// Back to migration 0300's trigger, which wrote the rule out itself.
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
	await knex.raw('DROP FUNCTION IF EXISTS covering_grid_on(geometry, date)');
	await knex.raw('DROP FUNCTION IF EXISTS covering_community_on(geometry, date)');
	await knex.raw('DROP FUNCTION IF EXISTS grids_on(date)');
	await knex.raw('DROP FUNCTION IF EXISTS communities_on(date)');
	for (const [fn] of LEVELS) await knex.raw('DROP FUNCTION IF EXISTS ??(geometry)', [fn]);
}
