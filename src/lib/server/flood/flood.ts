/**
 * 积水点 flood spots (issue 11 item 3): a point or a polygon with its cause, severity and
 * status, its incident history (day, depth, rainfall), the issue that reported it and the
 * renovation project that fixed it.
 *
 * Who may change what (decided here, README "Flood spots and rain alerts"):
 * - create and edit spots: admin, planner, housing (the county's drainage ledger);
 * - add incidents: those three anywhere, and grid workers and community admins for spots
 *   inside their territory (they see the water first).
 * Every change is one transaction with an audit_log row. Reads follow the territory like
 * every other layer: a spot is readable when it lies in the caller's territory.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { may } from '../accounts/permissions.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { audit } from '../platform/audit.js';
import type { FloodCause, FloodSeverity, FloodStatus } from '../../domain/glossary.js';

/** The deepest water (cm) and heaviest rain (mm in a day) a record may carry: beyond is a typo. */
export const MAX_DEPTH_CM = 500;
export const MAX_RAINFALL_MM = 1000;

export interface FloodIncident {
	id: number;
	occurred_on: string;
	depth_cm: number | null;
	rainfall_mm: number | null;
	note: string | null;
}

export interface FloodSpot {
	code: string;
	name: string;
	cause: FloodCause;
	severity: FloodSeverity;
	status: FloodStatus;
	issue_code: string | null;
	project_code: string | null;
	project_name: string | null;
	geometry: GeoJSON.Geometry;
	/** a point to label or centre on: the point itself, or a point on the polygon */
	lng: number;
	lat: number;
	incident_count: number;
	last_incident_on: string | null;
	max_depth_cm: number | null;
}

export interface FloodSpotRecord extends FloodSpot {
	incidents: FloodIncident[];
}

const day = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : value == null ? null : String(value).slice(0, 10));

/** The spots the caller may read, worst first; or one spot by code. */
export async function list(knex: Knex, scope: Scope, code?: string): Promise<FloodSpot[]> {
	const readable = scopeFilter(scope, 's.geom', 'area');
	const { rows } = await knex.raw(
		`SELECT s.code, s.name, s.cause, s.severity, s.status, i.code AS issue_code, p.code AS project_code, p.name AS project_name,
			ST_AsGeoJSON(s.geom, 7)::json AS geometry, ST_X(ST_PointOnSurface(s.geom)) AS lng, ST_Y(ST_PointOnSurface(s.geom)) AS lat,
			(SELECT count(*) FROM flood_incidents f WHERE f.flood_spot_id = s.id)::int AS incident_count,
			(SELECT max(f.occurred_on) FROM flood_incidents f WHERE f.flood_spot_id = s.id) AS last_incident_on,
			(SELECT max(f.depth_cm) FROM flood_incidents f WHERE f.flood_spot_id = s.id) AS max_depth_cm
		 FROM flood_spots s
		 LEFT JOIN issues i ON i.id = s.issue_id
		 LEFT JOIN renovation_projects p ON p.id = s.project_id
		 WHERE ${readable.sql} AND (CAST(:code AS text) IS NULL OR s.code = :code)
		 ORDER BY array_position(ARRAY['active', 'monitoring', 'fixed'], s.status), array_position(ARRAY['high', 'medium', 'low'], s.severity), s.code`,
		{ ...readable.bindings, code: code ?? null }
	);
	return rows.map((r: Record<string, unknown>) => ({
		...(r as unknown as FloodSpot),
		lng: Number(r.lng),
		lat: Number(r.lat),
		last_incident_on: day(r.last_incident_on),
		max_depth_cm: r.max_depth_cm == null ? null : Number(r.max_depth_cm)
	}));
}

/** One spot with its incidents (oldest first, as a chart reads them), or null when not readable. */
export async function read(knex: Knex, scope: Scope, code: string): Promise<FloodSpotRecord | null> {
	const [spot] = await list(knex, scope, code);
	if (!spot) return null;
	const incidents = await knex('flood_incidents as f')
		.join('flood_spots as s', 's.id', 'f.flood_spot_id')
		.where('s.code', code)
		.orderBy([{ column: 'f.occurred_on' }, { column: 'f.id' }])
		.select('f.id', 'f.occurred_on', 'f.depth_cm', 'f.rainfall_mm', 'f.note');
	return {
		...spot,
		incidents: incidents.map((f) => ({
			id: f.id,
			occurred_on: day(f.occurred_on)!,
			depth_cm: f.depth_cm,
			rainfall_mm: f.rainfall_mm == null ? null : Number(f.rainfall_mm),
			note: f.note
		}))
	};
}

export interface SpotInput {
	name?: string;
	cause?: FloodCause;
	severity?: FloodSeverity;
	status?: FloodStatus;
	/** GeoJSON Point, Polygon or MultiPolygon in WGS84 */
	geometry?: string;
	/** the issue that reported it; null unlinks */
	issue_code?: string | null;
	/** the project that fixed it; null unlinks */
	project_code?: string | null;
}

/** An issue's or project's id by code, or a 400 naming the field. */
async function idOf(trx: Knex, table: 'issues' | 'renovation_projects', field: string, code: string | null | undefined): Promise<number | null | undefined> {
	if (code === undefined) return undefined;
	if (code === null) return null;
	const row = await trx(table).where({ code }).first('id');
	if (!row) fail(400, `${field} '${code}' names no ${table === 'issues' ? 'issue' : 'renovation project'}`);
	return row.id;
}

/** Checks the geometry is valid in PostGIS terms (a 400 with its reason), before any write. */
async function checkGeometry(trx: Knex, geometry: string): Promise<void> {
	const { rows } = await trx.raw(`SELECT ST_IsValidReason(ST_GeomFromGeoJSON(:g)) AS reason, ST_IsEmpty(ST_GeomFromGeoJSON(:g)) AS empty`, { g: geometry });
	if (rows[0].empty) fail(400, 'geometry must not be empty');
	if (rows[0].reason !== 'Valid Geometry') fail(400, `geometry is not valid: ${rows[0].reason}`);
}

/** The next free code F0001…, read under a lock so two creations do not take the same. */
async function nextCode(trx: Knex): Promise<string> {
	await trx.raw('LOCK TABLE flood_spots IN SHARE ROW EXCLUSIVE MODE');
	const { rows } = await trx.raw(`SELECT COALESCE(max(substring(code FROM 2)::int), 0) + 1 AS n FROM flood_spots WHERE code ~ '^F[0-9]{1,9}$'`);
	return `F${String(rows[0].n).padStart(4, '0')}`;
}

/** Creates a spot (ledger roles); its code. */
export async function create(knex: Knex, user: User, input: Required<Pick<SpotInput, 'name' | 'cause' | 'severity' | 'geometry'>> & SpotInput): Promise<string> {
	return knex.transaction(async (trx) => {
		await checkGeometry(trx, input.geometry);
		const issue = await idOf(trx, 'issues', 'issue_code', input.issue_code);
		const project = await idOf(trx, 'renovation_projects', 'project_code', input.project_code);
		const code = await nextCode(trx);
		await trx.raw(
			`INSERT INTO flood_spots (code, name, cause, severity, status, issue_id, project_id, geom)
			 VALUES (:code, :name, :cause, :severity, :status, :issue, :project, ST_SetSRID(ST_GeomFromGeoJSON(:geometry), 4326))`,
			{ code, name: input.name, cause: input.cause, severity: input.severity, status: input.status ?? 'active', issue: issue ?? null, project: project ?? null, geometry: input.geometry }
		);
		await audit(trx, user, 'create_flood_spot', `flood_spot:${code}`, { ...input, geometry: JSON.parse(input.geometry).type });
		return code;
	});
}

/** Changes the fields given (ledger roles); a 404 for an unknown code. */
export async function update(knex: Knex, user: User, code: string, input: SpotInput): Promise<void> {
	await knex.transaction(async (trx) => {
		const spot = await trx('flood_spots').where({ code }).forUpdate().first('id', 'name', 'cause', 'severity', 'status', 'issue_id', 'project_id');
		if (!spot) fail(404, `no flood spot with code '${code}'`);
		if (input.geometry !== undefined) await checkGeometry(trx, input.geometry);
		const issue = await idOf(trx, 'issues', 'issue_code', input.issue_code);
		const project = await idOf(trx, 'renovation_projects', 'project_code', input.project_code);
		await trx.raw(
			`UPDATE flood_spots SET name = COALESCE(:name, name), cause = COALESCE(:cause, cause), severity = COALESCE(:severity, severity),
				status = COALESCE(:status, status),
				issue_id = CASE WHEN :set_issue THEN CAST(:issue AS int) ELSE issue_id END,
				project_id = CASE WHEN :set_project THEN CAST(:project AS int) ELSE project_id END,
				geom = CASE WHEN CAST(:geometry AS text) IS NULL THEN geom ELSE ST_SetSRID(ST_GeomFromGeoJSON(CAST(:geometry AS text)), 4326) END,
				updated_at = now()
			 WHERE id = :id`,
			{
				id: spot.id,
				name: input.name ?? null,
				cause: input.cause ?? null,
				severity: input.severity ?? null,
				status: input.status ?? null,
				set_issue: issue !== undefined,
				issue: issue ?? null,
				set_project: project !== undefined,
				project: project ?? null,
				geometry: input.geometry ?? null
			}
		);
		const { geometry, ...rest } = input;
		await audit(trx, user, 'update_flood_spot', `flood_spot:${code}`, { before: { ...spot, id: undefined }, changes: { ...rest, geometry: geometry ? JSON.parse(geometry).type : undefined } });
	});
}

export interface IncidentInput {
	occurred_on: string;
	depth_cm: number | null;
	rainfall_mm: number | null;
	note: string | null;
}

/**
 * Adds an incident to a spot, in the caller's transaction (a rain alert's check writes its
 * own row beside it). The spot must be readable and, for roles outside the ledger, inside
 * the territory; its id.
 */
export async function addIncidentIn(trx: Knex, user: User, scope: Scope, spotId: number, spotCode: string, input: IncidentInput, via: string): Promise<number> {
	const [row] = (
		await trx.raw(`INSERT INTO flood_incidents (flood_spot_id, occurred_on, depth_cm, rainfall_mm, note) VALUES (:spot, :on, :depth, :rain, :note) RETURNING id`, {
			spot: spotId,
			on: input.occurred_on,
			depth: input.depth_cm,
			rain: input.rainfall_mm,
			note: input.note
		})
	).rows;
	await audit(trx, user, 'add_flood_incident', `flood_spot:${spotCode}`, { incident: row.id, via, ...input, role: user.role, scope: scope.kind });
	return Number(row.id);
}

/** Adds an incident (ledger roles anywhere; grid workers and community admins in their territory); its id. */
export async function addIncident(knex: Knex, user: User, scope: Scope, code: string, input: IncidentInput): Promise<number> {
	return knex.transaction(async (trx) => {
		const inside = scopeFilter(scope, 's.geom', 'area');
		const { rows } = await trx.raw(`SELECT s.id, ${inside.sql} AS inside FROM flood_spots s WHERE s.code = :code FOR UPDATE OF s`, { ...inside.bindings, code });
		if (!rows[0]) fail(404, `no flood spot with code '${code}'`);
		if (!may(user, 'flood-incident.add', { inTerritory: rows[0].inside })) fail(403, `the flood spot ${code} lies outside your territory`);
		return addIncidentIn(trx, user, scope, rows[0].id, code, input, 'api');
	});
}
