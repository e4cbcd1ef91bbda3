/**
 * 暴雨预警 rain alerts (issue 11 item 4; the planner's choice, issue 21 point 1). An admin or
 * planner switches an alert on, with the rainfall forecast as its note and a scope: which flood
 * spots count (per status, the lowest severity that counts: by default every active spot and
 * the monitored ones from 中度 up), the buffer around them (RAIN_ALERT_METRES, default 100 m,
 * measured on the ground: geography), and optionally the grids or communities it is limited
 * to. Before switching on, a preview says how many buildings and which grid workers the scope
 * reaches; switching on freezes those very buildings into rain_alert_buildings with the grid
 * each lies in (buildings.grid_id) and its nearest counted spot, so the list and its progress
 * stay stable while spots change. Grid workers check their buildings off on the phone,
 * reporting the water depth, which becomes an incident of the nearest spot (active now, or the
 * one the building was listed for); the rest
 * read the list per grid (JSON, CSV, print) and the progress per grid on the map.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { chinaDay } from '../../domain/work-calendar.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { held } from '../platform/held.js';
import { addIncidentIn } from './flood.js';
import { audit } from '../platform/audit.js';
import { FLOOD_SEVERITIES, type FloodSeverity, type FloodStatus } from '../../domain/glossary.js';

/*
 * Who switches alerts on and off (and previews what one would reach) and who checks buildings
 * off (grid workers in their grids, community admins in their territory, admins anywhere):
 * `rain-alert.*` in the permission table (accounts/permissions.ts).
 */
export const MAX_ALERT_METRES = 2000;
/** How many grids or communities an alert may be limited to: more than the county has (~90 grids). */
export const MAX_ALERT_AREAS = 500;

/** The buffer around the counted spots when an alert names none: RAIN_ALERT_METRES, else 100 m. */
export function alertMetres(): number {
	const value = Number(process.env.RAIN_ALERT_METRES ?? 100);
	return Number.isFinite(value) && value > 0 && value <= MAX_ALERT_METRES ? value : 100;
}

/** Per flood-spot status, the lowest severity that counts; a status absent counts no spot. */
export type SpotSeverities = Partial<Record<FloodStatus, FloodSeverity>>;

/** What an alert covers: the planner's choice, stored with the alert. */
export interface AlertScope {
	spot_severities: SpotSeverities;
	metres: number;
	/** grids and communities (codes) the buildings must lie in; both empty: the whole county */
	grid_codes: string[];
	community_codes: string[];
}

/**
 * Every active spot, and the monitored ones from 中度 up: a 监测中 spot floods in heavy rain
 * (the tester's spot 10 m from demo-grid's buildings, issue 21), a 轻度 one rarely above 20 cm.
 */
export const DEFAULT_SPOT_SEVERITIES: SpotSeverities = { active: 'low', monitoring: 'medium' };

export function defaultScope(metres = alertMetres()): AlertScope {
	return { spot_severities: { ...DEFAULT_SPOT_SEVERITIES }, metres, grid_codes: [], community_codes: [] };
}

/**
 * The buildings within :metres (on the spheroid) of a counted spot, each once with its
 * nearest counted spot. A spot counts when its severity is at or above the one its status
 * names in :severities (a status not named: no severity, no spot). With grids or communities
 * named, only the buildings of those grids (or of the grids of those communities) are
 * reached; a spot just outside them still reaches them. The && on an expanded box lets the
 * GiST index on buildings.anchor pick the candidates (geography casts use no geometry index);
 * the box is generous — 1° of latitude is at least 110.5 km, 1° of longitude at least
 * 111 km × cos(latitude) — and ST_DWithin on geography decides.
 */
export const AFFECTED_SQL = `SELECT DISTINCT ON (b.id) b.id AS building_id, b.grid_id, s.id AS flood_spot_id,
	ST_Distance(b.anchor::geography, s.geom::geography) AS distance_m
FROM flood_spots s
JOIN buildings b ON b.anchor && ST_Expand(s.geom,
		:metres * 1.01 / (111000 * cos(radians(LEAST(89, GREATEST(abs(ST_YMin(s.geom)), abs(ST_YMax(s.geom))) + 0.01)))),
		:metres * 1.01 / 110000)
	AND ST_DWithin(b.anchor::geography, s.geom::geography, :metres)
WHERE array_position(CAST(:scale AS text[]), s.severity) >= array_position(CAST(:scale AS text[]), CAST(:severities AS jsonb) ->> s.status)
	AND (cardinality(CAST(:grids AS text[])) + cardinality(CAST(:communities AS text[])) = 0
		OR b.grid_id IN (SELECT g.id FROM grids g JOIN communities c ON c.id = g.community_id
			WHERE g.code = ANY(CAST(:grids AS text[])) OR c.code = ANY(CAST(:communities AS text[]))))
ORDER BY b.id, distance_m, s.id`;

/** AFFECTED_SQL's bindings for a scope. */
function affectedBindings(scope: AlertScope): Record<string, unknown> {
	return {
		metres: scope.metres,
		scale: [...FLOOD_SEVERITIES],
		severities: JSON.stringify(scope.spot_severities),
		grids: scope.grid_codes,
		communities: scope.community_codes
	};
}

/** A scope, or the default scope with that buffer. */
const scopeOf = (scope: AlertScope | number): AlertScope => (typeof scope === 'number' ? defaultScope(scope) : scope);

/** The affected buildings for a scope (or the default scope with a buffer), as the alert would freeze them. */
export async function affectedBuildings(knex: Knex, scope: AlertScope | number): Promise<{ building_id: number; grid_id: number | null; flood_spot_id: number; distance_m: number }[]> {
	const { rows } = await knex.raw(AFFECTED_SQL, affectedBindings(scopeOf(scope)));
	return rows.map((r: Record<string, unknown>) => ({ ...r, distance_m: Number(r.distance_m) }));
}

/** A 400 naming the grid and community codes of a scope that name nothing. */
async function checkAreas(knex: Knex, scope: AlertScope): Promise<void> {
	for (const [table, field, codes] of [
		['grids', 'grid_codes', scope.grid_codes],
		['communities', 'community_codes', scope.community_codes]
	] as const) {
		if (codes.length === 0) continue;
		const known = new Set((await knex(table).whereIn('code', codes).select('code')).map((r) => r.code as string));
		const unknown = codes.filter((c) => !known.has(c));
		if (unknown.length) fail(400, `${field} names no ${table === 'grids' ? 'grid' : 'community'}: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
	}
}

export interface AlertArea {
	code: string;
	name: string;
	grids: { code: string; name: string }[];
}

/** The communities with their grids, for the planner to limit an alert to (planners read the whole county). */
export async function alertAreas(knex: Knex): Promise<AlertArea[]> {
	const { rows } = await knex.raw(
		`SELECT c.code, c.name, COALESCE(json_agg(json_build_object('code', g.code, 'name', g.name) ORDER BY g.code) FILTER (WHERE g.id IS NOT NULL), '[]'::json) AS grids
		 FROM communities c LEFT JOIN grids g ON g.community_id = c.id GROUP BY c.id, c.code, c.name ORDER BY c.code`
	);
	return rows;
}

export interface PreviewGrid {
	grid_code: string | null;
	grid_name: string | null;
	community_name: string | null;
	buildings: number;
	households: number;
	/** the grid workers of the grid today, by name (no phone: a preview is not a contact list) */
	grid_workers: { code: string; name: string }[];
}

export interface AlertPreview {
	scope: AlertScope;
	/** the spots the severity rule counts, county-wide */
	spots: number;
	buildings: number;
	households: number;
	grids: PreviewGrid[];
	/** each grid worker reached once, with the grids of theirs it reaches */
	grid_workers: { code: string; name: string; grids: string[] }[];
}

/** What switching on with this scope would reach: the same statement the switch freezes. */
export async function preview(knex: Knex, scope: AlertScope): Promise<AlertPreview> {
	await checkAreas(knex, scope);
	const bindings = affectedBindings(scope);
	const { rows } = await knex.raw(
		`WITH affected AS (${AFFECTED_SQL})
		SELECT g.code AS grid_code, g.name AS grid_name, c.name AS community_name, count(*)::int AS buildings, COALESCE(sum(b.households), 0)::int AS households,
			COALESCE((SELECT json_agg(json_build_object('code', p.code, 'name', p.name) ORDER BY p.code)
				FROM assignments a JOIN people p ON p.id = a.person_id WHERE a.role = 'grid_worker' AND a.grid_id = g.id AND ${held('a')}), '[]'::json) AS grid_workers
		FROM affected JOIN buildings b ON b.id = affected.building_id
		LEFT JOIN grids g ON g.id = affected.grid_id LEFT JOIN communities c ON c.id = g.community_id
		GROUP BY g.id, g.code, g.name, c.name ORDER BY g.code NULLS LAST`,
		bindings
	);
	const spots = await knex.raw(
		`SELECT count(*)::int AS n FROM flood_spots s
		 WHERE array_position(CAST(:scale AS text[]), s.severity) >= array_position(CAST(:scale AS text[]), CAST(:severities AS jsonb) ->> s.status)`,
		{ scale: bindings.scale, severities: bindings.severities }
	);
	const grids = rows as PreviewGrid[];
	const workers = new Map<string, { code: string; name: string; grids: string[] }>();
	for (const g of grids) {
		for (const p of g.grid_workers) {
			const w = workers.get(p.code) ?? workers.set(p.code, { ...p, grids: [] }).get(p.code)!;
			w.grids.push(g.grid_name ?? g.grid_code ?? '');
		}
	}
	return {
		scope,
		spots: spots.rows[0].n,
		buildings: grids.reduce((n, g) => n + g.buildings, 0),
		households: grids.reduce((n, g) => n + g.households, 0),
		grids,
		grid_workers: [...workers.values()]
	};
}

export interface AlertSummary {
	id: number;
	note: string;
	metres: number;
	started_at: string;
	started_by: string;
	ended_at: string | null;
	ended_by: string | null;
	/** what it covers, as the planner chose */
	spot_severities: SpotSeverities;
	grid_codes: string[];
	community_codes: string[];
	/** buildings and checked buildings the caller may read */
	total: number;
	checked: number;
	/** the grids it reaches, whoever asks: an empty list then says "not your grid" with a figure */
	covered_grids: number;
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/** Alerts, newest first, each with the progress the caller may read. */
export async function alerts(knex: Knex, user: User, scope: Scope, id?: number, limit = 20): Promise<AlertSummary[]> {
	const visible = visibleSql(user, scope);
	const { rows } = await knex.raw(
		`SELECT r.id, r.note, r.metres, r.started_at, r.started_by, r.ended_at, r.ended_by, r.spot_severities, r.grid_codes, r.community_codes,
			(SELECT count(DISTINCT rb.grid_id) FROM rain_alert_buildings rb WHERE rb.rain_alert_id = r.id)::int AS covered_grids,
			(SELECT count(*) FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id WHERE rb.rain_alert_id = r.id AND ${visible.sql})::int AS total,
			(SELECT count(rb.checked_at) FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id WHERE rb.rain_alert_id = r.id AND ${visible.sql})::int AS checked
		 FROM rain_alerts r WHERE (CAST(:id AS int) IS NULL OR r.id = :id) ORDER BY r.started_at DESC, r.id DESC LIMIT :limit`,
		{ ...visible.bindings, id: id ?? null, limit }
	);
	return rows.map((r: Record<string, unknown>) => ({ ...(r as unknown as AlertSummary), metres: Number(r.metres), started_at: iso(r.started_at)!, ended_at: iso(r.ended_at) }));
}

/** One alert the caller may read, with their progress; a 404 when there is none. */
export async function alertOf(knex: Knex, user: User, scope: Scope, id: number): Promise<AlertSummary> {
	const [alert] = await alerts(knex, user, scope, id, 1);
	if (!alert) fail(404, `no rain alert ${id}`);
	return alert;
}

/** Whether the caller reads an alert's buildings by the grids they hold today (a grid worker) rather than by territory. */
export function readsByGrid(user: User): boolean {
	return user.role === 'grid_worker';
}

/**
 * Which alert buildings (alias rb, building b) the caller reads: a grid worker those of the
 * grids they hold today, others by territory (the building's anchor).
 */
function visibleSql(user: User, scope: Scope): { sql: string; bindings: Record<string, unknown> } {
	if (readsByGrid(user)) {
		return { sql: `rb.grid_id IN (SELECT a.grid_id FROM assignments a WHERE a.person_id = :person AND a.role = 'grid_worker' AND ${held('a')})`, bindings: { person: user.person_id ?? -1 } };
	}
	return scopeFilter(scope, 'b.anchor', 'point');
}

/**
 * Switches an alert on with a scope (or the default scope with a buffer): stores the scope and
 * freezes its buildings, in one transaction with an audit row; a 400 for a grid or community
 * code that names nothing, a 409 while another alert is on.
 */
export async function start(knex: Knex, user: User, note: string, chosen: AlertScope | number): Promise<number> {
	const scope = scopeOf(chosen);
	try {
		return await knex.transaction(async (trx) => {
			await checkAreas(trx, scope);
			const [row] = (
				await trx.raw(
					`INSERT INTO rain_alerts (note, metres, started_by, spot_severities, grid_codes, community_codes)
					 VALUES (:note, :metres, :by, CAST(:severities AS jsonb), CAST(:grids AS text[]), CAST(:communities AS text[])) RETURNING id`,
					{ note, by: user.username, ...affectedBindings(scope) }
				)
			).rows;
			const { rowCount } = await trx.raw(
				`INSERT INTO rain_alert_buildings (rain_alert_id, building_id, grid_id, flood_spot_id, distance_m)
				 SELECT :alert, a.building_id, a.grid_id, a.flood_spot_id, round(a.distance_m::numeric, 1) FROM (${AFFECTED_SQL}) a`,
				{ alert: row.id, ...affectedBindings(scope) }
			);
			await audit(trx, user, 'start_rain_alert', `rain_alert:${row.id}`, { note, ...scope, buildings: rowCount });
			return Number(row.id);
		});
	} catch (error) {
		if ((error as { code?: string }).code === '23505') fail(409, 'a rain alert is already on: switch it off first');
		throw error;
	}
}

/** Switches an alert off; a 409 when it already is. */
export async function end(knex: Knex, user: User, id: number): Promise<void> {
	await knex.transaction(async (trx) => {
		const alert = await trx('rain_alerts').where({ id }).forUpdate().first('ended_at');
		if (!alert) fail(404, `no rain alert ${id}`);
		if (alert.ended_at) fail(409, `rain alert ${id} is already off`);
		await trx('rain_alerts').where({ id }).update({ ended_at: trx.fn.now(), ended_by: user.username });
		await audit(trx, user, 'end_rain_alert', `rain_alert:${id}`, {});
	});
}

export interface Person {
	code: string;
	name: string;
	phone: string | null;
}

export interface AlertBuilding {
	building_code: string;
	building_name: string | null;
	address: string | null;
	households: number;
	grid_code: string | null;
	grid_name: string | null;
	grid_workers: Person[];
	building_heads: Person[];
	flood_spot_code: string;
	flood_spot_name: string;
	distance_m: number;
	checked_at: string | null;
	checked_by: string | null;
	depth_cm: number | null;
	note: string | null;
	lng: number;
	lat: number;
}

const PEOPLE_OF = (where: string) => `COALESCE((SELECT json_agg(json_build_object('code', p.code, 'name', p.name, 'phone', p.phone) ORDER BY p.code)
	FROM assignments a JOIN people p ON p.id = a.person_id WHERE ${where} AND ${held('a')}), '[]'::json)`;

/** The alert's buildings the caller may read, by grid, nearest the water first. */
export async function buildings(knex: Knex, user: User, scope: Scope, id: number): Promise<AlertBuilding[]> {
	const visible = visibleSql(user, scope);
	const { rows } = await knex.raw(
		`SELECT b.code AS building_code, b.name AS building_name, b.address, b.households, g.code AS grid_code, g.name AS grid_name,
			${PEOPLE_OF(`a.role = 'grid_worker' AND a.grid_id = rb.grid_id`)} AS grid_workers,
			${PEOPLE_OF(`a.role = 'building_head' AND a.building_id = b.id`)} AS building_heads,
			s.code AS flood_spot_code, s.name AS flood_spot_name, rb.distance_m, rb.checked_at, rb.checked_by, rb.depth_cm, rb.note,
			ST_X(b.anchor) AS lng, ST_Y(b.anchor) AS lat
		 FROM rain_alert_buildings rb
		 JOIN buildings b ON b.id = rb.building_id
		 JOIN flood_spots s ON s.id = rb.flood_spot_id
		 LEFT JOIN grids g ON g.id = rb.grid_id
		 WHERE rb.rain_alert_id = :alert AND ${visible.sql}
		 ORDER BY g.code NULLS LAST, rb.distance_m, b.code`,
		{ ...visible.bindings, alert: id }
	);
	return rows.map((r: Record<string, unknown>) => ({
		...(r as unknown as AlertBuilding),
		distance_m: Number(r.distance_m),
		checked_at: iso(r.checked_at),
		lng: Number(r.lng),
		lat: Number(r.lat)
	}));
}

export interface GridList {
	grid_code: string | null;
	grid_name: string | null;
	grid_workers: Person[];
	total: number;
	checked: number;
	buildings: AlertBuilding[];
}

/** The inspection list: one entry per grid, under its grid worker(s); each building once. */
export function byGrid(list: AlertBuilding[]): GridList[] {
	const grids = new Map<string, GridList>();
	for (const b of list) {
		const key = b.grid_code ?? '';
		let g = grids.get(key);
		if (!g) grids.set(key, (g = { grid_code: b.grid_code, grid_name: b.grid_name, grid_workers: b.grid_workers, total: 0, checked: 0, buildings: [] }));
		g.total++;
		if (b.checked_at) g.checked++;
		g.buildings.push(b);
	}
	return [...grids.values()];
}

export interface CheckInput {
	depth_cm: number | null;
	note: string | null;
	/** the phone's time of the check (sent later from an offline phone); now when absent */
	checked_at?: Date;
	/** the phone's key for this check: a resend answers the first check */
	idempotency_key?: string;
	/** where the phone was, [lng, lat] */
	position?: [number, number] | null;
}

export interface CheckResult {
	flood_incident_id: number | null;
	flood_spot_code: string | null;
	checked_at: string;
	checked_by: string;
	/** the check was already received under this idempotency key */
	repeated: boolean;
}

/** The check a key already made, for its own user: the same answer again; another user's key is a 409. */
async function checkByKey(trx: Knex, user: User, id: number, buildingCode: string, key: string): Promise<CheckResult | null> {
	const { rows } = await trx.raw(
		`SELECT rb.rain_alert_id, b.code, rb.checked_at, rb.checked_by, rb.flood_incident_id, s.code AS spot
		 FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id
		 LEFT JOIN flood_incidents f ON f.id = rb.flood_incident_id LEFT JOIN flood_spots s ON s.id = f.flood_spot_id
		 WHERE rb.check_idempotency_key = :key`,
		{ key }
	);
	const seen = rows[0];
	if (!seen) return null;
	if (seen.checked_by !== user.username) fail(409, 'idempotency_key was already used by another user');
	if (Number(seen.rain_alert_id) !== id || seen.code !== buildingCode) fail(409, `idempotency_key was already used for building '${seen.code}' of rain alert ${seen.rain_alert_id}`);
	return { flood_incident_id: seen.flood_incident_id, flood_spot_code: seen.spot ?? null, checked_at: iso(seen.checked_at)!, checked_by: seen.checked_by, repeated: true };
}

/**
 * Checks a building off: a 404 when it is not in the alert, a 403 outside the caller's grids
 * (or territory), a 409 when the alert was off at the check's time or the building is already
 * checked (saying by whom and when). A depth above 0 becomes an incident of the nearest of the
 * spots active now and the one the building was listed for (a monitored spot 10 m away, not an
 * active one across town: issue 21), on the check's day. The same idempotency key
 * again, by the same user, answers the first check (`repeated`); the building's row lock
 * makes concurrent resends wait for the first and find it.
 */
export async function check(knex: Knex, user: User, scope: Scope, id: number, buildingCode: string, input: CheckInput): Promise<CheckResult> {
	const key = input.idempotency_key;
	return knex.transaction(async (trx) => {
		if (key) {
			const seen = await checkByKey(trx, user, id, buildingCode, key);
			if (seen) return seen;
		}
		const visible = visibleSql(user, scope);
		const { rows } = await trx.raw(
			`SELECT rb.id, rb.checked_at, rb.checked_by, rb.flood_spot_id, r.started_at, r.ended_at, ${visible.sql} AS mine, b.code,
				(SELECT s.id FROM flood_spots s WHERE s.status = 'active' OR s.id = rb.flood_spot_id
					ORDER BY ST_Distance(s.geom::geography, b.anchor::geography), s.id LIMIT 1) AS nearest_spot
			 FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id JOIN rain_alerts r ON r.id = rb.rain_alert_id
			 WHERE rb.rain_alert_id = :alert AND b.code = :code FOR UPDATE OF rb`,
			{ ...visible.bindings, alert: id, code: buildingCode }
		);
		const row = rows[0];
		if (!row) {
			if (!(await trx('rain_alerts').where({ id }).first('id'))) fail(404, `no rain alert ${id}`);
			fail(404, `building '${buildingCode}' is not on rain alert ${id}'s list`);
		}
		if (!row.mine) fail(403, `building '${buildingCode}' lies outside your ${readsByGrid(user) ? 'grids' : 'territory'}`);
		if (row.checked_at) {
			// A resend that waited on the row lock behind its own first send.
			if (key) {
				const seen = await checkByKey(trx, user, id, buildingCode, key);
				if (seen) return seen;
			}
			fail(409, `building '${buildingCode}' was already checked by ${row.checked_by} at ${iso(row.checked_at)}`);
		}
		const checkedAt = input.checked_at ?? new Date();
		// A check made offline while the alert was on still counts when it arrives after the alert ended.
		if (row.ended_at && checkedAt > new Date(row.ended_at)) fail(409, `rain alert ${id} is off (since ${iso(row.ended_at)})`);
		// Five minutes of a phone's clock running behind.
		if (checkedAt.getTime() < new Date(row.started_at).getTime() - 5 * 60_000) fail(400, `checked_at ${checkedAt.toISOString()} is before rain alert ${id} started (${iso(row.started_at)})`);
		let incident: number | null = null;
		let spotCode: string | null = null;
		if (input.depth_cm !== null && input.depth_cm > 0) {
			const spotId = row.nearest_spot ?? row.flood_spot_id;
			spotCode = (await trx('flood_spots').where({ id: spotId }).first('code')).code as string;
			incident = await addIncidentIn(
				trx,
				user,
				scope,
				spotId,
				spotCode,
				{ occurred_on: chinaDay(checkedAt), depth_cm: input.depth_cm, rainfall_mm: null, note: `暴雨预警 ${id} 巡查 ${buildingCode}${input.note ? `:${input.note}` : ''}` },
				`rain_alert:${id}`
			);
		}
		await trx.raw(
			`UPDATE rain_alert_buildings SET checked_at = :at, check_recorded_at = now(), checked_by = :by, depth_cm = :depth, note = :note,
				flood_incident_id = :incident, check_idempotency_key = :key,
				check_position = CASE WHEN CAST(:lng AS float8) IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) END
			 WHERE id = :id`,
			{
				at: checkedAt,
				by: user.username,
				depth: input.depth_cm,
				note: input.note,
				incident,
				key: key ?? null,
				lng: input.position?.[0] ?? null,
				lat: input.position?.[1] ?? null,
				id: row.id
			}
		);
		await audit(trx, user, 'check_rain_alert_building', `rain_alert:${id}`, {
			building: buildingCode,
			depth_cm: input.depth_cm,
			flood_incident: incident,
			checked_at: checkedAt.toISOString(),
			idempotency_key: key ?? null
		});
		return { flood_incident_id: incident, flood_spot_code: spotCode, checked_at: checkedAt.toISOString(), checked_by: user.username, repeated: false };
	});
}

export interface GridProgress {
	grid_code: string | null;
	grid_name: string | null;
	total: number;
	checked: number;
}

/** Checked and total per grid, for the caller's buildings. */
export async function progress(knex: Knex, user: User, scope: Scope, id: number): Promise<GridProgress[]> {
	const visible = visibleSql(user, scope);
	const { rows } = await knex.raw(
		`SELECT g.code AS grid_code, g.name AS grid_name, count(*)::int AS total, count(rb.checked_at)::int AS checked
		 FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id LEFT JOIN grids g ON g.id = rb.grid_id
		 WHERE rb.rain_alert_id = :alert AND ${visible.sql}
		 GROUP BY g.code, g.name ORDER BY g.code NULLS LAST`,
		{ ...visible.bindings, alert: id }
	);
	return rows;
}

/** The grids of the alert as GeoJSON polygons with total, checked and share (0–1) for the map. */
export async function progressGeojson(knex: Knex, user: User, scope: Scope, id: number): Promise<object> {
	const visible = visibleSql(user, scope);
	const { rows } = await knex.raw(
		`SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
			'type', 'Feature', 'id', p.code, 'geometry', ST_AsGeoJSON(g.geom, 6)::json,
			'properties', json_build_object('code', p.code, 'name', g.name, 'total', p.total, 'checked', p.checked, 'share', round(p.checked::numeric / p.total, 3))
		) ORDER BY p.code), '[]'::json)) AS fc
		 FROM (SELECT g.id, g.code, count(*)::int AS total, count(rb.checked_at)::int AS checked
			FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id JOIN grids g ON g.id = rb.grid_id
			WHERE rb.rain_alert_id = :alert AND ${visible.sql} GROUP BY g.id, g.code) p
		 JOIN grids g ON g.id = p.id`,
		{ ...visible.bindings, alert: id }
	);
	return rows[0].fc;
}
