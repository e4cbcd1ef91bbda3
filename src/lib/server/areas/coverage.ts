/**
 * Coverage and load (DESIGN §3): where the "两长两员" net has holes — buildings without a
 * building head, grids without a grid worker, overlapping grids, gaps inside a community,
 * buildings outside every grid — and how many households each grid worker carries against
 * the 300–500 norm. For each building without a head, candidates are proposed by a stated rule.
 */
import type { Knex } from 'knex';
import { held } from '../platform/held.js';

export const HOUSEHOLD_NORM = { min: 300, max: 500 } as const;
/** The rule the proposals follow, said to the user with them. */
export const PROPOSAL_RULE =
	'registered party members (双报到党员) assigned to a building in the same grid who head no building yet, nearest first (distance between building anchors)';

const CURRENT = held('a');

export interface Coverage {
	buildings_without_head: {
		code: string;
		address: string | null;
		grid_code: string | null;
		households: number;
		candidates: { code: string; name: string; distance_m: number }[];
	}[];
	grids_without_worker: { code: string; name: string; households: number }[];
	overlapping_grids: { a: string; b: string; area_m2: number }[];
	community_gaps: { code: string; name: string; gap_m2: number }[];
	buildings_outside_grids: { code: string; address: string | null }[];
	worker_load: { person_code: string; name: string; grids: string[]; households: number; status: 'under' | 'within' | 'over' }[];
	proposal_rule: string;
	norm: typeof HOUSEHOLD_NORM;
}

export async function report(knex: Knex, opts: { candidates?: number } = {}): Promise<Coverage> {
	const candidates = opts.candidates ?? 3;
	const [headless, noWorker, overlaps, gaps, outside, load] = await Promise.all([
		knex.raw(
			`SELECT b.code, b.address, g.code AS grid_code, b.households,
				coalesce((
					SELECT json_agg(json_build_object('code', c.code, 'name', c.name, 'distance_m', c.distance_m) ORDER BY c.distance_m, c.code)
					FROM (
						SELECT * FROM (
							SELECT DISTINCT ON (p.id) p.code, p.name, round(ST_Distance(b.anchor::geography, mb.anchor::geography)::numeric, 1)::float8 AS distance_m
							FROM assignments a JOIN people p ON p.id = a.person_id JOIN buildings mb ON mb.id = a.building_id
							WHERE a.role = 'registered_party_member' AND ${CURRENT} AND mb.grid_id = b.grid_id
							  AND NOT EXISTS (SELECT 1 FROM assignments h WHERE h.person_id = p.id AND h.role = 'building_head'
							                  AND ${held('h')})
							ORDER BY p.id, distance_m
						) nearest_per_person
						ORDER BY distance_m, code LIMIT :candidates
					) c
				), '[]'::json) AS candidates
			 FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id
			 WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.building_id = b.id AND a.role = 'building_head' AND ${CURRENT})
			 ORDER BY b.code`,
			{ candidates }
		),
		knex.raw(
			`SELECT g.code, g.name, coalesce((SELECT sum(households) FROM buildings WHERE grid_id = g.id), 0)::int AS households
			 FROM grids g
			 WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.grid_id = g.id AND a.role = 'grid_worker' AND ${CURRENT})
			 ORDER BY g.code`
		),
		knex.raw(
			`SELECT a.code AS a, b.code AS b, round(ST_Area(ST_Intersection(a.geom, b.geom)::geography)::numeric, 1)::float8 AS area_m2
			 FROM grids a JOIN grids b ON a.code < b.code AND a.geom && b.geom AND ST_Relate(a.geom, b.geom, '2********')
			 ORDER BY a.code, b.code`
		),
		knex.raw(
			`SELECT c.code, c.name, round(ST_Area((CASE WHEN u.geom IS NULL THEN c.geom ELSE ST_Difference(c.geom, u.geom, 1e-9) END)::geography)::numeric, 1)::float8 AS gap_m2
			 FROM communities c
			 LEFT JOIN (SELECT community_id, ST_Union(geom) AS geom FROM grids GROUP BY community_id) u ON u.community_id = c.id
			 ORDER BY c.code`
		),
		knex.raw(`SELECT code, address FROM buildings WHERE grid_id IS NULL ORDER BY code`),
		knex.raw(
			`SELECT p.code AS person_code, p.name, array_agg(DISTINCT g.code ORDER BY g.code) AS grids,
				coalesce(sum((SELECT sum(households) FROM buildings WHERE grid_id = g.id)), 0)::int AS households
			 FROM assignments a JOIN people p ON p.id = a.person_id JOIN grids g ON g.id = a.grid_id
			 WHERE a.role = 'grid_worker' AND ${CURRENT}
			 GROUP BY p.code, p.name ORDER BY p.code`
		)
	]);
	const status = (h: number) => (h < HOUSEHOLD_NORM.min ? 'under' : h > HOUSEHOLD_NORM.max ? 'over' : 'within');
	return {
		buildings_without_head: headless.rows,
		grids_without_worker: noWorker.rows,
		overlapping_grids: overlaps.rows,
		// The difference runs on a 1e-9° (0.1 mm) precision grid: on the embedded PostGIS a plain
		// ST_Difference whose result is empty silently drops every row of the statement.
		// Below a square metre is rounding in the source outlines, not a gap anyone can walk into.
		community_gaps: gaps.rows.filter((g: { gap_m2: number }) => g.gap_m2 >= 1),
		buildings_outside_grids: outside.rows,
		worker_load: load.rows.map((r: { households: number }) => ({ ...r, status: status(r.households) })),
		proposal_rule: PROPOSAL_RULE,
		norm: HOUSEHOLD_NORM
	};
}
