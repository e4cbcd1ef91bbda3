/**
 * 暴雨预警 rain alerts (issue 11 item 4). An admin or planner switches an alert on, with the
 * rainfall forecast as its note; every building whose anchor lies within the alert's buffer
 * of an ACTIVE flood spot (RAIN_ALERT_METRES, default 100 m, measured on the ground: geography)
 * is frozen into rain_alert_buildings with the grid it lies in (buildings.grid_id) and its
 * nearest active spot, so the list and its progress stay stable while spots change. Grid
 * workers check their buildings off on the phone, reporting the water depth, which becomes an
 * incident of the nearest active spot; the rest read the list per grid (JSON, CSV, print) and
 * the progress per grid on the map.
 */
import type { Knex } from 'knex';
import type { User } from './accounts.js';
import { json, type Call, type Reply } from './endpoint.js';
import { fail } from './errors.js';
import { bodyNumber, bodyText, checkPlainText, parseJsonObject, pathId, today, type JsonObject } from './params.js';
import { requireRole } from './case-rules.js';
import { scopeFilter, type Scope } from './territory.js';
import { held } from './held.js';
import { csvDocument } from './csv.js';
import { addIncidentIn, audit, incidentInput } from './flood.js';

/** Who switches alerts on and off. */
export const ALERT_ROLES = ['admin', 'planner'] as const;
/** Who checks buildings off: grid workers in their grids, community admins in their territory, admins anywhere. */
export const CHECK_ROLES = ['admin', 'community_admin', 'grid_worker'] as const;
export const MAX_ALERT_METRES = 2000;

/** The buffer around active spots when an alert names none: RAIN_ALERT_METRES, else 100 m. */
export function alertMetres(): number {
	const value = Number(process.env.RAIN_ALERT_METRES ?? 100);
	return Number.isFinite(value) && value > 0 && value <= MAX_ALERT_METRES ? value : 100;
}

/**
 * The buildings within :metres (on the spheroid) of an active spot, each once with its
 * nearest active spot. The && on an expanded box lets the GiST index on buildings.anchor
 * pick the candidates (geography casts use no geometry index); the box is generous — 1° of
 * latitude is at least 110.5 km, 1° of longitude at least 111 km × cos(latitude) — and
 * ST_DWithin on geography decides.
 */
export const AFFECTED_SQL = `SELECT DISTINCT ON (b.id) b.id AS building_id, b.grid_id, s.id AS flood_spot_id,
	ST_Distance(b.anchor::geography, s.geom::geography) AS distance_m
FROM flood_spots s
JOIN buildings b ON b.anchor && ST_Expand(s.geom,
		:metres * 1.01 / (111000 * cos(radians(LEAST(89, GREATEST(abs(ST_YMin(s.geom)), abs(ST_YMax(s.geom))) + 0.01)))),
		:metres * 1.01 / 110000)
	AND ST_DWithin(b.anchor::geography, s.geom::geography, :metres)
WHERE s.status = 'active'
ORDER BY b.id, distance_m, s.id`;

/** The affected buildings for a buffer, as the alert would freeze them. */
export async function affectedBuildings(knex: Knex, metres: number): Promise<{ building_id: number; grid_id: number | null; flood_spot_id: number; distance_m: number }[]> {
	const { rows } = await knex.raw(AFFECTED_SQL, { metres });
	return rows.map((r: Record<string, unknown>) => ({ ...r, distance_m: Number(r.distance_m) }));
}

export interface AlertSummary {
	id: number;
	note: string;
	metres: number;
	started_at: string;
	started_by: string;
	ended_at: string | null;
	ended_by: string | null;
	/** buildings and checked buildings the caller may read */
	total: number;
	checked: number;
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/** Alerts, newest first, each with the progress the caller may read. */
export async function alerts(knex: Knex, user: User, scope: Scope, id?: number, limit = 20): Promise<AlertSummary[]> {
	const visible = visibleSql(user, scope);
	const { rows } = await knex.raw(
		`SELECT r.id, r.note, r.metres, r.started_at, r.started_by, r.ended_at, r.ended_by,
			(SELECT count(*) FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id WHERE rb.rain_alert_id = r.id AND ${visible.sql})::int AS total,
			(SELECT count(rb.checked_at) FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id WHERE rb.rain_alert_id = r.id AND ${visible.sql})::int AS checked
		 FROM rain_alerts r WHERE (CAST(:id AS int) IS NULL OR r.id = :id) ORDER BY r.started_at DESC, r.id DESC LIMIT :limit`,
		{ ...visible.bindings, id: id ?? null, limit }
	);
	return rows.map((r: Record<string, unknown>) => ({ ...(r as unknown as AlertSummary), metres: Number(r.metres), started_at: iso(r.started_at)!, ended_at: iso(r.ended_at) }));
}

async function alertOf(knex: Knex, user: User, scope: Scope, id: number): Promise<AlertSummary> {
	const [alert] = await alerts(knex, user, scope, id, 1);
	if (!alert) fail(404, `no rain alert ${id}`);
	return alert;
}

/**
 * Which alert buildings (alias rb, building b) the caller reads: a grid worker those of the
 * grids they hold today, others by territory (the building's anchor).
 */
function visibleSql(user: User, scope: Scope): { sql: string; bindings: Record<string, unknown> } {
	if (user.role === 'grid_worker') {
		return { sql: `rb.grid_id IN (SELECT a.grid_id FROM assignments a WHERE a.person_id = :person AND a.role = 'grid_worker' AND ${held('a')})`, bindings: { person: user.person_id ?? -1 } };
	}
	return scopeFilter(scope, 'b.anchor', 'point');
}

/** Switches an alert on: freezes its buildings; a 409 while another is on. */
export async function start(knex: Knex, user: User, note: string, metres: number): Promise<number> {
	try {
		return await knex.transaction(async (trx) => {
			const [row] = (await trx.raw(`INSERT INTO rain_alerts (note, metres, started_by) VALUES (:note, :metres, :by) RETURNING id`, { note, metres, by: user.username })).rows;
			const { rowCount } = await trx.raw(
				`INSERT INTO rain_alert_buildings (rain_alert_id, building_id, grid_id, flood_spot_id, distance_m)
				 SELECT :alert, a.building_id, a.grid_id, a.flood_spot_id, round(a.distance_m::numeric, 1) FROM (${AFFECTED_SQL}) a`,
				{ alert: row.id, metres }
			);
			await audit(trx, user, 'start_rain_alert', `rain_alert:${row.id}`, { note, metres, buildings: rowCount });
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
}

/**
 * Checks a building off: a 404 when it is not in the alert, a 403 outside the caller's grids
 * (or territory), a 409 when the alert is off or the building already checked. A depth above
 * 0 becomes an incident of the nearest active spot (the frozen one when none is active now).
 */
export async function check(knex: Knex, user: User, scope: Scope, id: number, buildingCode: string, input: CheckInput): Promise<{ flood_incident_id: number | null; flood_spot_code: string | null }> {
	return knex.transaction(async (trx) => {
		const visible = visibleSql(user, scope);
		const { rows } = await trx.raw(
			`SELECT rb.id, rb.checked_at, rb.flood_spot_id, r.ended_at, ${visible.sql} AS mine, b.code,
				(SELECT s.id FROM flood_spots s WHERE s.status = 'active' ORDER BY s.geom::geography <-> b.anchor::geography, s.id LIMIT 1) AS nearest_active
			 FROM rain_alert_buildings rb JOIN buildings b ON b.id = rb.building_id JOIN rain_alerts r ON r.id = rb.rain_alert_id
			 WHERE rb.rain_alert_id = :alert AND b.code = :code FOR UPDATE OF rb`,
			{ ...visible.bindings, alert: id, code: buildingCode }
		);
		const row = rows[0];
		if (!row) {
			if (!(await trx('rain_alerts').where({ id }).first('id'))) fail(404, `no rain alert ${id}`);
			fail(404, `building '${buildingCode}' is not on rain alert ${id}'s list`);
		}
		if (!row.mine) fail(403, `building '${buildingCode}' lies outside your ${user.role === 'grid_worker' ? 'grids' : 'territory'}`);
		if (row.ended_at) fail(409, `rain alert ${id} is off`);
		if (row.checked_at) fail(409, `building '${buildingCode}' was already checked at ${iso(row.checked_at)}`);
		let incident: number | null = null;
		let spotCode: string | null = null;
		if (input.depth_cm !== null && input.depth_cm > 0) {
			const spotId = row.nearest_active ?? row.flood_spot_id;
			spotCode = (await trx('flood_spots').where({ id: spotId }).first('code')).code as string;
			incident = await addIncidentIn(
				trx,
				user,
				scope,
				spotId,
				spotCode,
				{ occurred_on: today(), depth_cm: input.depth_cm, rainfall_mm: null, note: `暴雨预警 ${id} 巡查 ${buildingCode}${input.note ? `:${input.note}` : ''}` },
				`rain_alert:${id}`
			);
		}
		await trx('rain_alert_buildings').where({ id: row.id }).update({ checked_at: trx.fn.now(), checked_by: user.username, depth_cm: input.depth_cm, note: input.note, flood_incident_id: incident });
		await audit(trx, user, 'check_rain_alert_building', `rain_alert:${id}`, { building: buildingCode, depth_cm: input.depth_cm, flood_incident: incident });
		return { flood_incident_id: incident, flood_spot_code: spotCode };
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

// ---------------------------------------------------------------- requests

const NO_STORE = { 'Cache-Control': 'private, no-cache' };

function signedIn(call: Call): User {
	if (!call.user) fail(401, 'sign in to read rain alerts');
	return call.user;
}

/** GET /api/rain-alerts: the alert on now (or null) and the recent ones, with the caller's progress. */
export async function getAlerts(call: Call): Promise<Reply> {
	const user = signedIn(call);
	const list = await alerts(call.db.knex, user, call.scope);
	return json({ current: list.find((a) => a.ended_at === null) ?? null, alerts: list, default_metres: alertMetres() }, 200, NO_STORE);
}

/** POST /api/rain-alerts {note, metres?}: switches an alert on (admin, planner); 201 with it. */
export async function postAlert(call: Call): Promise<Reply> {
	const user = requireRole(call.user, ALERT_ROLES, 'switch rain alerts on');
	const body = parseJsonObject(await call.body(8192), '{"note": "the rainfall forecast", "metres"?}');
	const note = checkPlainText('note', bodyText(body, 'note', { max: 500, hint: 'the rainfall forecast' }));
	const metres = Object.hasOwn(body, 'metres') && body.metres !== null ? bodyNumber(body, 'metres', 1, MAX_ALERT_METRES) : alertMetres();
	const id = await start(call.db.knex, user, note, metres);
	return json(await alertOf(call.db.knex, user, call.scope, id), 201, { Location: `/api/rain-alerts/${id}` });
}

/** POST /api/rain-alerts/{id}/end: switches it off (admin, planner). */
export async function postEnd(call: Call): Promise<Reply> {
	const user = requireRole(call.user, ALERT_ROLES, 'switch rain alerts off');
	const id = pathId(call.params, 'id');
	await end(call.db.knex, user, id);
	return json(await alertOf(call.db.knex, user, call.scope, id));
}

/** GET /api/rain-alerts/{id}/buildings: the inspection list, per grid with its grid workers. */
export async function getBuildings(call: Call): Promise<Reply> {
	const user = signedIn(call);
	const id = pathId(call.params, 'id');
	const alert = await alertOf(call.db.knex, user, call.scope, id);
	return json({ alert, grids: byGrid(await buildings(call.db.knex, user, call.scope, id)) }, 200, NO_STORE);
}

export const CSV_FIELDS = [
	'grid_code', 'grid_name', 'grid_workers', 'building_code', 'building_name', 'address', 'households', 'building_heads',
	'flood_spot_code', 'distance_m', 'checked_at', 'checked_by', 'depth_cm', 'note'
] as const;

/** GET /api/rain-alerts/{id}/buildings.csv: the same list for a spreadsheet or a printout. */
export async function getBuildingsCsv(call: Call): Promise<Reply> {
	const user = signedIn(call);
	const id = pathId(call.params, 'id');
	await alertOf(call.db.knex, user, call.scope, id);
	const people = (list: Person[]) => list.map((p) => (p.phone ? `${p.name} ${p.phone}` : p.name)).join('、');
	const rows = (await buildings(call.db.knex, user, call.scope, id)).map((b) => ({ ...b, grid_workers: people(b.grid_workers), building_heads: people(b.building_heads) }));
	return {
		status: 200,
		headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="rain-alert-${id}.csv"`, 'Cache-Control': 'private, no-store' },
		body: csvDocument<(typeof rows)[number]>([...CSV_FIELDS], rows)
	};
}

export function checkInput(body: JsonObject): CheckInput {
	const incident = incidentInput(body, false);
	return { depth_cm: incident.depth_cm, note: incident.note };
}

/** POST /api/rain-alerts/{id}/checks {building_code, depth_cm?, note?}: checks a building off. */
export async function postCheck(call: Call): Promise<Reply> {
	const user = requireRole(call.user, CHECK_ROLES, 'check buildings off');
	const id = pathId(call.params, 'id');
	const body = parseJsonObject(await call.body(8192), '{"building_code", "depth_cm"?, "note"?}');
	const building = bodyText(body, 'building_code', { max: 100 });
	const input = checkInput(body);
	const result = await check(call.db.knex, user, call.scope, id, building, input);
	return json({ building_code: building, ...result, alert: await alertOf(call.db.knex, user, call.scope, id) }, 201);
}

/** GET /api/rain-alerts/{id}/progress: checked / total overall and per grid. */
export async function getProgress(call: Call): Promise<Reply> {
	const user = signedIn(call);
	const id = pathId(call.params, 'id');
	const alert = await alertOf(call.db.knex, user, call.scope, id);
	return json({ alert, grids: await progress(call.db.knex, user, call.scope, id) }, 200, NO_STORE);
}

/** GET /api/rain-alerts/{id}/progress.geojson: the grids coloured by progress on the map. */
export async function getProgressGeojson(call: Call): Promise<Reply> {
	const user = signedIn(call);
	const id = pathId(call.params, 'id');
	await alertOf(call.db.knex, user, call.scope, id);
	return { status: 200, headers: { 'Content-Type': 'application/geo+json; charset=utf-8', ...NO_STORE }, body: JSON.stringify(await progressGeojson(call.db.knex, user, call.scope, id)) };
}
