/**
 * Changing a grid's or community's outline. First the impact — which buildings, households,
 * open issues and people would change owner, and what the new outline overlaps or leaves
 * uncovered — then, on apply, one transaction: the old outline goes to boundary_versions
 * with the days it was in force, the new one takes effect on the given date, buildings are
 * re-derived, and an audit row records the change.
 */
import type { Knex } from 'knex';
import type { Geometry } from 'geojson';
import { openSql } from '../../domain/issues.js';
import { REDERIVE_SQL } from './derivation.js';
import { ADMINISTERED_COMMUNITIES, forgetTerritories, scopeFilter, scopeFor, type Scope } from '../ownership/territory.js';
import { held } from '../platform/held.js';
import { COVERING, LEVEL_TABLE } from '../platform/tables.js';
import { fail } from '../platform/errors.js';
import { MAX_VERTICES } from '../../geo/geojson-check.js';
import type { User } from '../accounts/user.js';
import { may, reachOf } from '../accounts/permissions.js';
import { audit } from '../platform/audit.js';

export type BoundaryLevel = 'grid' | 'community';
export const BOUNDARY_LEVELS: BoundaryLevel[] = ['grid', 'community'];
const TABLE = { grid: 'grids', community: 'communities' } as const;
const PARENT = { grid: { table: 'communities', column: 'community_id' }, community: { table: 'streets', column: 'street_id' } } as const;

export interface Impact {
	level: BoundaryLevel;
	code: string;
	area_m2: { before: number; after: number };
	buildings: { code: string; address: string | null; households: number; from: string | null; to: string | null }[];
	households_moved: number;
	open_issues: { code: string; title: string; status: string; direction: 'in' | 'out' }[];
	people: { code: string; name: string; role: string; building: string }[];
	warnings: string[];
	/** present when the outline had more than MAX_VERTICES vertices and was simplified within SIMPLIFY_TOLERANCE_M */
	simplified?: Simplified;
}

export interface Simplified {
	vertices_before: number;
	vertices_after: number;
	tolerance_m: number;
}

/**
 * How far a simplified outline may stray from the one sent: 5 cm, below what a boundary
 * surveyed or traced from imagery means. An outline over MAX_VERTICES (geojson-check.ts) is
 * simplified within it (issue 20, point 7): a 200,000-vertex trace is most often a line
 * digitised every centimetre, which this brings down to hundreds of vertices. One that still
 * has too many is refused.
 */
export const SIMPLIFY_TOLERANCE_M = 0.05;
/** Metres to degrees for the tolerance: a degree of latitude is 111.3 km; along a parallel at Hejiang it is shorter, so the tolerance there is smaller still. */
const METRES_PER_DEGREE = 111_320;
/** What an upload may carry before simplification: the body limit holds about this many. */
export const MAX_UPLOAD_VERTICES = 250_000;

/**
 * Refuses at once an outline that no 5 cm simplification brings under MAX_VERTICES. Plain
 * Douglas–Peucker (ST_Simplify) keeps no more vertices than the topology-preserving kind, and
 * takes a second on 150,000 where validity and the topology-preserving pass take a minute
 * between them; so its count, when still over the bound, settles the refusal before either.
 */
async function refuseUnsimplifiable(trx: Knex, json: string): Promise<void> {
	let row: { vertices: number; simplified_vertices: number | null };
	try {
		({ rows: [row] } = await trx.raw(
			`WITH s AS (SELECT ST_GeomFromGeoJSON(CAST(:json AS text)) AS g)
			SELECT ST_NPoints(g) AS vertices, CASE WHEN ST_NPoints(g) > :max THEN ST_NPoints(ST_Simplify(g, :tolerance)) END AS simplified_vertices FROM s`,
			{ json, max: MAX_VERTICES, tolerance: SIMPLIFY_TOLERANCE_M / METRES_PER_DEGREE }
		));
	} catch {
		fail(400, 'geometry is not readable GeoJSON (check rings are closed and positions are [lng, lat] numbers)');
	}
	if (row.simplified_vertices !== null && row.simplified_vertices > MAX_VERTICES) tooManyVertices(row.vertices, row.simplified_vertices);
}

function tooManyVertices(before: number, after: number): never {
	fail(400, `geometry has ${before} vertices; simplified within ${SIMPLIFY_TOLERANCE_M * 100} cm it still has ${after}, more than the ${MAX_VERTICES} an outline may have: simplify it in the GIS tool first`);
}

async function checkGeometry(trx: Knex, geometry: Geometry): Promise<{ json: string; simplified?: Simplified }> {
	if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
		fail(400, `geometry must be a Polygon or MultiPolygon, got ${geometry?.type ?? 'nothing'}`);
	}
	const json = JSON.stringify(geometry);
	await refuseUnsimplifiable(trx, json);
	let row: { valid: boolean; reason: string; empty: boolean; vertices: number; simplified: string | null; simplified_vertices: number | null; simplified_valid: boolean | null };
	try {
		({ rows: [row] } = await trx.raw(
			`WITH s AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(CAST(:json AS text)), 4326) AS g),
			checked AS (SELECT g, ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ST_IsEmpty(g) AS empty, ST_NPoints(g) AS vertices FROM s),
			simple AS (SELECT CASE WHEN valid AND vertices > :max THEN ST_SimplifyPreserveTopology(g, :tolerance) END AS g FROM checked)
			SELECT checked.valid, checked.reason, checked.empty, checked.vertices,
				ST_AsGeoJSON(simple.g, 15) AS simplified, ST_NPoints(simple.g) AS simplified_vertices, ST_IsValid(simple.g) AS simplified_valid
			FROM checked, simple`,
			{ json, max: MAX_VERTICES, tolerance: SIMPLIFY_TOLERANCE_M / METRES_PER_DEGREE }
		));
	} catch {
		fail(400, 'geometry is not readable GeoJSON (check rings are closed and positions are [lng, lat] numbers)');
	}
	if (row.empty) fail(400, 'geometry is empty');
	if (!row.valid) fail(400, `geometry is invalid: ${row.reason}`);
	if (row.simplified === null) return { json };
	if (row.simplified_vertices! > MAX_VERTICES || !row.simplified_valid) {
		tooManyVertices(row.vertices, row.simplified_vertices!);
	}
	return { json: row.simplified, simplified: { vertices_before: row.vertices, vertices_after: row.simplified_vertices!, tolerance_m: SIMPLIFY_TOLERANCE_M } };
}

/** Slivers below this many square metres are rounding along a shared edge, not reach. */
export const REACH_TOLERANCE_M2 = 1;

/**
 * Whether the editor may give the area this outline. A county admin may change any outline.
 * A community admin moves only the edges between grids of a community they administer: the
 * grid must be theirs, the outline must stay inside their communities (an outline that only
 * touches the boundary from inside is inside), and it may not take area from a grid of
 * another community. Anyone else may change none. Refusals are 403s naming the reach.
 */
async function checkReach(knex: Knex, editor: User, level: BoundaryLevel, areaId: number, json: string): Promise<void> {
	if (reachOf(editor, 'boundary.apply') === 'any') return;
	if (!may(editor, 'boundary.apply')) fail(403, `a ${editor.role} may not change boundaries`);
	if (level === 'community') {
		fail(403, "a community admin may not move a community's outer boundary; a county admin can");
	}
	const { rows } = await knex.raw(
		`WITH proposed AS (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(CAST(:json AS text)), 4326)) AS g),
		own AS (SELECT ST_Union(c.geom) AS g FROM communities c WHERE c.id IN (${ADMINISTERED_COMMUNITIES})),
		grid AS (SELECT id, code, community_id, geom FROM grids WHERE id = :id)
		SELECT grid.community_id IN (${ADMINISTERED_COMMUNITIES}) AS own_grid,
			round(coalesce(ST_Area(ST_Difference(proposed.g, own.g)::geography), ST_Area(proposed.g::geography))::numeric)::float8 AS outside_m2,
			(SELECT coalesce(json_agg(json_build_object('code', x.code, 'm2', x.m2) ORDER BY x.code), CAST('[]' AS json)) FROM (
				SELECT o.code, round(ST_Area(ST_Intersection(ST_Difference(proposed.g, grid.geom), o.geom)::geography)::numeric)::float8 AS m2
				FROM grids o
				WHERE o.id <> grid.id AND o.geom && proposed.g AND o.community_id NOT IN (${ADMINISTERED_COMMUNITIES})
			) x WHERE x.m2 > :tolerance) AS foreign_grids
		FROM proposed, own, grid`,
		{ json, person: editor.person_id ?? -1, id: areaId, tolerance: REACH_TOLERANCE_M2 }
	);
	const reach = rows[0] as { own_grid: boolean; outside_m2: number; foreign_grids: { code: string; m2: number }[] };
	if (!reach.own_grid) fail(403, 'the grid is not in a community you administer');
	if (reach.outside_m2 > REACH_TOLERANCE_M2) {
		fail(403, `the outline reaches ${reach.outside_m2} m² outside your community; a community admin moves only the edges between its own grids`);
	}
	if (reach.foreign_grids.length) {
		const taken = reach.foreign_grids.map((g) => `${g.code} (${g.m2} m²)`).join(', ');
		fail(403, `the outline takes area from grids of another community: ${taken}; only an admin of both may`);
	}
}

/**
 * The impact of giving the area this outline, for an editor who may apply it (else a 403);
 * nothing is written. The lists hold only what the editor's scope may read.
 */
export async function preview(knex: Knex, editor: User, level: BoundaryLevel, code: string, geometry: Geometry): Promise<Impact> {
	return (await previewOutline(knex, editor, level, code, geometry)).impact;
}

/** The impact, and the outline as it would be stored (simplified when it had too many vertices). */
async function previewOutline(knex: Knex, editor: User, level: BoundaryLevel, code: string, geometry: Geometry): Promise<{ impact: Impact; json: string }> {
	const { json, simplified } = await checkGeometry(knex, geometry);
	const table = TABLE[level];
	const area = await knex(table).where('code', code).first('id');
	if (!area) fail(404, `no ${level} with code '${code}'`);
	await checkReach(knex, editor, level, area.id, json);
	const impact = await impactOf(knex, await scopeFor(knex, editor), level, code, area.id, json);
	return { impact: simplified ? { ...impact, simplified } : impact, json };
}

async function impactOf(knex: Knex, scope: Scope, level: BoundaryLevel, code: string, id: number, json: string): Promise<Impact> {
	const table = TABLE[level];
	const base = { id, json, table };
	const buildingVisible = scopeFilter(scope, 'c.anchor', 'point');
	const issueVisible = scopeFilter(scope, 'i.geom', 'point');
	const proposed = `(SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(CAST(:json AS text)), 4326)))`;
	const old = `(SELECT geom FROM :table: WHERE id = :id)`;

	// A building's owner before is the covering area (migration 0350's rule); after, the same
	// rule — lowest code among the outlines covering the anchor — with this area's outline
	// swapped for the proposed one.
	const { rows: buildings } = await knex.raw(
		`WITH candidates AS (
			SELECT b.id, b.code, b.address, b.households, b.anchor
			FROM buildings b
			WHERE b.anchor && ST_Envelope(ST_Collect(${old}, ${proposed}))
			  AND (ST_Covers(${old}, b.anchor) OR ST_Covers(${proposed}, b.anchor))
		), visible AS (
			SELECT c.* FROM candidates c WHERE ${buildingVisible.sql}
		), owners AS (
			SELECT c.*,
				(SELECT x.code FROM ${COVERING[level]}(c.anchor) x) AS before,
				(SELECT code FROM (
					SELECT a.code FROM :table: a WHERE a.id <> :id AND ST_Covers(a.geom, c.anchor)
					UNION ALL
					SELECT a.code FROM :table: a WHERE a.id = :id AND ST_Covers(${proposed}, c.anchor)
				) o ORDER BY code LIMIT 1) AS after
			FROM visible c
		)
		SELECT code, address, households, before AS "from", after AS "to" FROM owners
		WHERE before IS DISTINCT FROM after ORDER BY code`,
		{ ...base, ...buildingVisible.bindings }
	);
	const moved = buildings.map((b: { code: string }) => b.code);
	const [issues, people, areas, warnings] = await Promise.all([
		knex.raw(
			`SELECT i.code, i.title, i.status, CASE WHEN ST_Covers(${proposed}, i.geom) THEN 'in' ELSE 'out' END AS direction
			 FROM issues i
			 WHERE ${openSql('i')} AND i.geom && ST_Envelope(ST_Collect(${old}, ${proposed}))
			   AND ST_Covers(${old}, i.geom) <> ST_Covers(${proposed}, i.geom) AND ${issueVisible.sql}
			 ORDER BY i.code`,
			{ ...base, ...issueVisible.bindings }
		),
		knex.raw(
			`SELECT p.code, p.name, a.role, b.code AS building
			 FROM assignments a JOIN people p ON p.id = a.person_id JOIN buildings b ON b.id = a.building_id
			 WHERE b.code IN (SELECT value #>> '{}' FROM json_array_elements(CAST(:moved AS json)))
			   AND ${held('a')}
			 ORDER BY b.code, a.role, p.code`,
			{ moved: JSON.stringify(moved) }
		),
		knex.raw(
			`SELECT round(ST_Area(${old}::geography)::numeric)::float8 AS before, round(ST_Area(${proposed}::geography)::numeric)::float8 AS after`,
			base
		),
		boundaryWarnings(knex, level, base, proposed)
	]);
	return {
		level,
		code,
		area_m2: areas.rows[0],
		buildings,
		households_moved: buildings.reduce((n: number, b: { households: number }) => n + b.households, 0),
		open_issues: issues.rows,
		people: people.rows,
		warnings
	};
}

/** Overlaps with neighbours and, for a grid, the part outside its community; for a community, grids it no longer holds. */
async function boundaryWarnings(knex: Knex, level: BoundaryLevel, base: Record<string, unknown>, proposed: string): Promise<string[]> {
	const warnings: string[] = [];
	const { rows: overlaps } = await knex.raw(
		`SELECT a.code, round(ST_Area(ST_Intersection(a.geom, ${proposed})::geography)::numeric)::float8 AS m2
		 FROM :table: a WHERE a.id <> :id AND a.geom && ${proposed} AND ST_Relate(a.geom, ${proposed}, '2********')
		 ORDER BY a.code`,
		base
	);
	for (const o of overlaps) warnings.push(`overlaps ${level} ${o.code} by ${o.m2} m²`);
	if (level === 'grid') {
		const { rows } = await knex.raw(
			`SELECT round(ST_Area(ST_Difference(${proposed}, c.geom, 1e-9)::geography)::numeric)::float8 AS m2
			 FROM grids g JOIN communities c ON c.id = g.${PARENT.grid.column} WHERE g.id = :id`,
			base
		);
		if (rows[0]?.m2 >= 1) warnings.push(`${rows[0].m2} m² lie outside the grid's community`);
	} else {
		const { rows } = await knex.raw(
			`SELECT g.code FROM grids g WHERE g.community_id = :id AND NOT ST_CoveredBy(ST_PointOnSurface(g.geom), ${proposed}) ORDER BY g.code`,
			base
		);
		for (const g of rows) warnings.push(`grid ${g.code} would lie outside the community`);
	}
	return warnings;
}

/**
 * Applies the outline from `effective` (a date, not in the future) in one transaction, and
 * returns the impact it had.
 */
export async function apply(
	knex: Knex,
	editor: User,
	level: BoundaryLevel,
	code: string,
	geometry: Geometry,
	effective: string,
	reason: string
): Promise<Impact> {
	const actor = editor.username;
	return knex.transaction(async (trx) => {
		const table = TABLE[level];
		const area = await trx(table).where('code', code).forUpdate().first('id', 'boundary_valid_from');
		if (!area) fail(404, `no ${level} with code '${code}'`);
		const from = new Date(area.boundary_valid_from).toISOString().slice(0, 10);
		if (effective < from) fail(400, `effective date ${effective} is before the current outline took effect (${from})`);
		const { impact, json } = await previewOutline(trx, editor, level, code, geometry);
		await trx.raw(
			`INSERT INTO boundary_versions (level, area_id, valid_from, valid_to, changed_by, reason, geom)
			 SELECT :level, id, boundary_valid_from, CAST(:effective AS date), :actor, :reason, geom FROM :table: WHERE id = :id`,
			{ level, effective, actor, reason, table, id: area.id }
		);
		await trx.raw(
			`UPDATE :table: SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(CAST(:json AS text)), 4326)),
				boundary_valid_from = CAST(:effective AS date), updated_at = now() WHERE id = :id`,
			{ table, json, effective, id: area.id }
		);
		await trx.raw(`SELECT set_config('wangge.bulk_derive', 'on', true)`);
		await trx.raw(REDERIVE_SQL);
		await trx.raw(`SELECT set_config('wangge.bulk_derive', 'off', true)`);
		await audit(trx, actor, 'change_boundary', level, {
			code,
			effective,
			reason,
			buildings_moved: impact.buildings.length,
			households_moved: impact.households_moved,
			open_issues_moved: impact.open_issues.length,
			...(impact.simplified ? { simplified: impact.simplified } : {})
		});
		forgetTerritories();
		return impact;
	});
}

/** What the boundary editor opens with: the area's outline and the date it took effect, and its neighbours' outlines (within about a kilometre); null when no area has the code. */
export async function editorArea(knex: Knex, level: BoundaryLevel, code: string) {
	const { rows } = await knex.raw(
		`SELECT code, name, boundary_valid_from, ST_AsGeoJSON(geom, 7) AS geometry,
			(SELECT json_agg(json_build_object('code', n.code, 'geometry', ST_AsGeoJSON(n.geom, 7)::json))
			 FROM ${LEVEL_TABLE[level]} n WHERE n.id <> t.id AND ST_DWithin(n.geom, t.geom, 0.01)) AS neighbours
		 FROM ${LEVEL_TABLE[level]} t WHERE t.code = :code`,
		{ code }
	);
	if (!rows.length) return null;
	const area = rows[0];
	return {
		code: area.code as string,
		name: area.name as string,
		validFrom: new Date(area.boundary_valid_from).toISOString().slice(0, 10),
		geometry: JSON.parse(area.geometry),
		neighbours: (area.neighbours ?? []) as { code: string; geometry: unknown }[]
	};
}
