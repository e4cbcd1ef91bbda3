/**
 * What the overlays hold inside an area, for its panel (issue 11 item 5): the renovation
 * projects that reach into it (by status, with their funds), the households of its buildings
 * that a project covers, and the flood spots in it (by status). Apart from the area summary,
 * which the map asks on every click: this is asked once the panel is open, and a city-wide
 * street's overlays cost more than its counts.
 */
import type { Knex } from 'knex';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { LEVEL_TABLE } from '../platform/tables.js';
import { visibility } from './areas.js';
import type { AreaLevel } from '../../domain/glossary.js';

export interface AreaOverlays {
	renovation: {
		projects: number;
		by_status: Record<string, number>;
		budget_yuan: number;
		funds_secured_yuan: number;
		spent_yuan: number;
		/** households of the area's buildings that lie in a project's area */
		households_covered: number;
	};
	flood: { spots: number; by_status: Record<string, number> };
}

/**
 * The statement for an area of `level` (its table from the allow-list). A project or spot is
 * in the area when it shares more than a boundary with it (the territory rule); a building by
 * its anchor. Both follow the caller's scope as everywhere.
 */
function overlaysSql(level: AreaLevel, scope: Scope): { sql: string; bindings: Record<string, unknown> } {
	const projects = scopeFilter(scope, 'p.geom', 'area');
	const spots = scopeFilter(scope, 'f.geom', 'area');
	const buildings = scopeFilter(scope, 'b.anchor', 'point');
	const visible = visibility(level, scope);
	const inside = (column: string) => `(ST_Intersects(a.geom, ${column}) AND NOT ST_Touches(a.geom, ${column}))`;
	// An area the caller may not see is not found, as its summary is not (areas.ts).
	const sql = `WITH a AS (SELECT t.geom FROM ${LEVEL_TABLE[level]} t WHERE t.code = :code AND ${visible.sql}),
	p AS (SELECT p.* FROM renovation_projects p, a WHERE p.geom && a.geom AND ${inside('p.geom')} AND ${projects.sql}),
	f AS (SELECT f.* FROM flood_spots f, a WHERE f.geom && a.geom AND ${inside('f.geom')} AND ${spots.sql})
SELECT EXISTS (SELECT 1 FROM a) AS found,
	(SELECT count(*)::int FROM p) AS projects,
	(SELECT COALESCE(json_object_agg(status, n), '{}') FROM (SELECT status, count(*)::int AS n FROM p GROUP BY status) s) AS project_status,
	(SELECT COALESCE(sum(budget_yuan), 0)::float8 FROM p) AS budget_yuan,
	(SELECT COALESCE(sum(funds_secured_yuan), 0)::float8 FROM p) AS funds_secured_yuan,
	(SELECT COALESCE(sum(spent_yuan), 0)::float8 FROM p) AS spent_yuan,
	(SELECT COALESCE(sum(b.households), 0)::int FROM buildings b, a WHERE ST_Covers(a.geom, b.anchor) AND ${buildings.sql}
		AND EXISTS (SELECT 1 FROM renovation_projects rp WHERE ST_Covers(rp.geom, b.anchor))) AS households_covered,
	(SELECT count(*)::int FROM f) AS spots,
	(SELECT COALESCE(json_object_agg(status, n), '{}') FROM (SELECT status, count(*)::int AS n FROM f GROUP BY status) s) AS spot_status`;
	return { sql, bindings: { ...visible.bindings, ...projects.bindings, ...spots.bindings, ...buildings.bindings } };
}

/** The overlays inside one area, or null when there is no such area or the caller may not see it. */
export async function overlays(knex: Knex, level: AreaLevel, code: string, scope: Scope): Promise<AreaOverlays | null> {
	const { sql, bindings } = overlaysSql(level, scope);
	const { rows } = await knex.raw(sql, { ...bindings, code });
	const r = rows[0];
	if (!r.found) return null;
	return {
		renovation: {
			projects: r.projects,
			by_status: r.project_status,
			budget_yuan: r.budget_yuan,
			funds_secured_yuan: r.funds_secured_yuan,
			spent_yuan: r.spent_yuan,
			households_covered: r.households_covered
		},
		flood: { spots: r.spots, by_status: r.spot_status }
	};
}
