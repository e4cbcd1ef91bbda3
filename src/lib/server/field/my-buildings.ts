/**
 * A field worker's buildings — a grid worker's grids, a building head's buildings, a
 * community admin's community — nearest first from where they stand, each with its heads,
 * households, open issues, visits (issue 13), whether a head is missing or a rain-alert check
 * is due, and the bearing to walk; and a building's card, as the phone opens it (and keeps
 * it for working offline: offline-pack.ts).
 */
import type { Knex } from 'knex';
import { openSql, overdueSql } from '../../domain/issues.js';
import { currentMonth, monthBounds } from './visits.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { held } from '../platform/held.js';

export interface MyBuilding {
	code: string;
	address: string | null;
	grid_code: string | null;
	grid_name: string | null;
	floors: number | null;
	households: number;
	heads: { role: string; name: string; phone: string | null }[];
	open_issues: number;
	lng: number;
	lat: number;
	/** metres from the given position; null without one */
	distance_m: number | null;
	/** initial bearing from the given position, degrees clockwise from north (0–360); null without one */
	bearing_deg: number | null;
	/** the latest visit, ISO 8601; null if never visited */
	last_visit_at: string | null;
	/** visited at least once this month, China time */
	visited_this_month: boolean;
	/** no building head holds the building today */
	heads_missing: boolean;
	/** a rain alert is on, this building is on its list and not checked yet */
	rain_check_due: boolean;
}

/** The current alert's unchecked row of building `b` (a rain-alert check due). */
const RAIN_CHECK_DUE = `SELECT rb.rain_alert_id FROM rain_alert_buildings rb JOIN rain_alerts r ON r.id = rb.rain_alert_id
	WHERE rb.building_id = b.id AND r.ended_at IS NULL AND rb.checked_at IS NULL`;
const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const CURRENT = held('a');
/**
 * One statement: every figure is a subquery per building over an index (visits by building
 * and time, assignments by building, the alert's list by building), so the list stays one
 * round trip however many buildings it holds.
 */
export async function list(knex: Knex, scope: Scope, from: [number, number] | null, limit = 200): Promise<MyBuilding[]> {
	const inScope = scopeFilter(scope, 'b.anchor', 'point');
	const month = monthBounds(currentMonth());
	const { rows } = await knex.raw(
		`SELECT b.code, b.address, g.code AS grid_code, g.name AS grid_name, b.floors, b.households,
			coalesce((SELECT json_agg(json_build_object('role', a.role, 'name', p.name, 'phone', p.phone) ORDER BY a.role, p.code)
			          FROM assignments a JOIN people p ON p.id = a.person_id
			          WHERE a.building_id = b.id AND a.role IN ('building_head', 'party_group_leader') AND ${CURRENT}), '[]'::json) AS heads,
			(SELECT count(*)::int FROM issues i WHERE ST_Covers(b.geom, i.geom) AND ${openSql('i')}) AS open_issues,
			ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat,
			CASE WHEN CAST(:lng AS float8) IS NULL THEN NULL
			     ELSE ST_Distance(b.anchor::geography, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography) END AS distance_m,
			CASE WHEN CAST(:lng AS float8) IS NULL THEN NULL
			     ELSE degrees(ST_Azimuth(ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography, b.anchor::geography)) END AS bearing_deg,
			(SELECT max(v.visited_at) FROM visits v WHERE v.building_id = b.id) AS last_visit_at,
			EXISTS (SELECT 1 FROM visits v WHERE v.building_id = b.id AND v.visited_at >= :month_from AND v.visited_at < :month_to) AS visited_this_month,
			NOT EXISTS (SELECT 1 FROM assignments a WHERE a.building_id = b.id AND a.role = 'building_head' AND ${CURRENT}) AS heads_missing,
			EXISTS (${RAIN_CHECK_DUE}) AS rain_check_due
		 FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id
		 WHERE ${inScope.sql}
		 ORDER BY distance_m NULLS LAST, b.code
		 LIMIT :limit`,
		{ lng: from?.[0] ?? null, lat: from?.[1] ?? null, limit, month_from: month.from, month_to: month.to, ...inScope.bindings }
	);
	return rows.map((r: MyBuilding) => ({
		...r,
		lng: Number(r.lng),
		lat: Number(r.lat),
		distance_m: r.distance_m == null ? null : Math.round(Number(r.distance_m)),
		// ST_Azimuth is null where the position is the anchor itself
		bearing_deg: r.bearing_deg == null ? null : Math.round(Number(r.bearing_deg) * 10) / 10,
		last_visit_at: r.last_visit_at == null ? null : new Date(r.last_visit_at).toISOString()
	}));
}

export interface BuildingCard {
	code: string;
	name: string | null;
	address: string | null;
	floors: number | null;
	households: number;
	lng: number;
	lat: number;
	grid_code: string | null;
	grid_name: string | null;
	heads: { role: string; name: string; phone: string | null }[];
	/** the grid's grid workers (网格员) and the building's registered party members (双报到党员): with the heads, the 两长两员 */
	grid_workers: { name: string; phone: string | null }[];
	party_members: { name: string }[];
	open_cases: { code: string; title: string | null; status: string; category: string; due_at: string | null; overdue: boolean }[];
	/** the latest five, newest first */
	last_visits: { code: string; visited_at: string; situation: string; household: string | null; note: string | null; visitor: string | null; issue_code: string | null }[];
	rain_check_due: boolean;
	/** the alert whose check is due, else null */
	rain_alert_id: number | null;
}

/**
 * Building cards: the caller's buildings (all, or the one named), each with its grid, heads
 * (两长: building head and party group leader, with phones for a call link), its 两员 (the grid's
 * grid worker and the building's registered party members), open cases inside
 * its footprint (those in the caller's territory), its last five visits and a due rain-alert
 * check. One statement for any number of buildings, so the offline pack costs one round trip.
 */
export async function cards(knex: Knex, scope: Scope, code: string | null): Promise<BuildingCard[]> {
	const inScope = scopeFilter(scope, 'b.anchor', 'point');
	const issueScope = scopeFilter(scope, 'i.geom', 'point');
	const { rows } = await knex.raw(
		`SELECT b.code, b.name, b.address, b.floors, b.households, ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat,
			g.code AS grid_code, g.name AS grid_name,
			coalesce((SELECT json_agg(json_build_object('role', a.role, 'name', p.name, 'phone', p.phone) ORDER BY a.role, p.code)
			          FROM assignments a JOIN people p ON p.id = a.person_id
			          WHERE a.building_id = b.id AND a.role IN ('building_head', 'party_group_leader') AND ${CURRENT}), '[]'::json) AS heads,
			coalesce((SELECT json_agg(json_build_object('name', p.name, 'phone', p.phone) ORDER BY p.code)
			          FROM assignments a JOIN people p ON p.id = a.person_id
			          WHERE a.grid_id = b.grid_id AND a.role = 'grid_worker' AND ${CURRENT}), '[]'::json) AS grid_workers,
			coalesce((SELECT json_agg(json_build_object('name', p.name) ORDER BY p.code)
			          FROM assignments a JOIN people p ON p.id = a.person_id
			          WHERE a.building_id = b.id AND a.role = 'registered_party_member' AND ${CURRENT}), '[]'::json) AS party_members,
			coalesce((SELECT json_agg(json_build_object('code', i.code, 'title', i.title, 'status', i.status, 'category', i.category,
			                 'due_at', ${ISO('i.due_at')}, 'overdue', ${overdueSql('i')}) ORDER BY i.due_at NULLS LAST, i.code)
			          FROM issues i WHERE ST_Covers(b.geom, i.geom) AND ${openSql('i')} AND ${issueScope.sql}), '[]'::json) AS open_cases,
			coalesce((SELECT json_agg(json_build_object('code', x.code, 'visited_at', ${ISO('x.visited_at')}, 'situation', x.situation,
			                 'household', x.household, 'note', x.note, 'visitor', x.visitor, 'issue_code', x.issue_code) ORDER BY x.visited_at DESC, x.id DESC)
			          FROM (SELECT v.id, v.code, v.visited_at, v.situation, v.household, v.note, u.username AS visitor, vi.code AS issue_code
			                FROM visits v LEFT JOIN users u ON u.id = v.visitor_user_id LEFT JOIN issues vi ON vi.id = v.issue_id
			                WHERE v.building_id = b.id ORDER BY v.visited_at DESC, v.id DESC LIMIT 5) x), '[]'::json) AS last_visits,
			(${RAIN_CHECK_DUE} ORDER BY rb.rain_alert_id DESC LIMIT 1) AS rain_alert_id
		 FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id
		 WHERE ${inScope.sql} AND (CAST(:code AS text) IS NULL OR b.code = :code)
		 ORDER BY b.code`,
		{ ...inScope.bindings, ...issueScope.bindings, code }
	);
	return rows.map((r: BuildingCard) => ({ ...r, lng: Number(r.lng), lat: Number(r.lat), rain_check_due: r.rain_alert_id != null }));
}

/** Where a point lies for the caller about to report there (issue 21, point 2). */
export interface Placement {
	in_county: boolean;
	/** the caller's territory covers the point: the server will take a report there */
	in_territory: boolean;
	/** the community whose outline covers the point, which a report passed on goes to */
	community: { code: string; name: string } | null;
	/** the grid covering the point */
	grid: { code: string; name: string } | null;
	/** the caller's building nearest the point, with its distance in metres */
	nearest: { code: string; address: string | null; lng: number; lat: number; distance_m: number } | null;
}

/**
 * Where a point lies for its caller, before a report is sent: in the county, in their
 * territory (the rule cases.create applies), the community and grid there, and their own
 * nearest building (by anchor, on the ground), to offer instead of a point outside.
 */
export async function placement(knex: Knex, scope: Scope, lng: number, lat: number): Promise<Placement> {
	const inScope = scopeFilter(scope, 'p.g', 'point');
	const mine = scopeFilter(scope, 'b.anchor', 'point');
	const { rows } = await knex.raw(
		`WITH p AS (SELECT ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) AS g)
		 SELECT inside_county(p.g) AS in_county,
			${inScope.sql} AS in_territory,
			(SELECT json_build_object('code', c.code, 'name', c.name) FROM covering_community(p.g) c) AS community,
			(SELECT json_build_object('code', g.code, 'name', g.name) FROM covering_grid(p.g) g) AS grid,
			(SELECT json_build_object('code', b.code, 'address', b.address, 'lng', ST_X(b.anchor), 'lat', ST_Y(b.anchor),
			        'distance_m', round(ST_Distance(b.anchor::geography, p.g::geography)))
			 FROM buildings b WHERE ${mine.sql} ORDER BY ST_Distance(b.anchor::geography, p.g::geography), b.code LIMIT 1) AS nearest
		 FROM p`,
		{ ...inScope.bindings, ...mine.bindings, lng, lat }
	);
	return rows[0];
}
