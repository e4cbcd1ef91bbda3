import type { Knex } from 'knex';

/**
 * Two questions about a place, each asked in more than one statement, answered by one rule in
 * the database (as the covering_* functions of migration 0350 answer "the area covering a
 * point"): `inside_county(g)` — does the county's outline cover it (its boundary included) —
 * and `community_covers(community, p)` — does that community's outline cover the point (NULL
 * when there is no such community). The callers ask about a single point, so that a sublink
 * keeps them from being inlined costs one function call per statement.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.raw(`CREATE FUNCTION inside_county(g geometry) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
		SELECT EXISTS (SELECT 1 FROM county c WHERE ST_Covers(c.geom, g)) $$`);
	await knex.raw(`CREATE FUNCTION community_covers(community integer, p geometry) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
		SELECT ST_Covers(c.geom, p) FROM communities c WHERE c.id = community $$`);
}

export async function down(knex: Knex): Promise<void> {
	await knex.raw('DROP FUNCTION IF EXISTS community_covers(integer, geometry)');
	await knex.raw('DROP FUNCTION IF EXISTS inside_county(geometry)');
}
