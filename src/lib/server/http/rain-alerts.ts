/**
 * The HTTP side of rain alerts: the alerts, switching one on (with its scope) or off, a
 * preview of what one would reach, the inspection list (as JSON and CSV), checks, progress
 * (as a list and as GeoJSON for the map). Who may is the permission table's (`rain-alert.*`);
 * the domain verbs live in flood/rain-alerts.ts.
 */
import * as rain from '../flood/rain-alerts.js';
import { MAX_ALERT_AREAS, MAX_ALERT_METRES, type AlertScope, type CheckInput, type Person, type SpotSeverities } from '../flood/rain-alerts.js';
import { FLOOD_SEVERITIES, FLOOD_STATUSES, type FloodSeverity, type FloodStatus } from '../../domain/glossary.js';
import { fail } from '../platform/errors.js';
import { allow } from './allow.js';
import { csvDocument } from './csv.js';
import { json, type Call, type Reply } from './endpoint.js';
import { incidentInput } from './flood.js';
import { bodyInstant, bodyNumber, bodyOptionalText, bodyText, bodyTextList, checkPlainText, parseJsonObject, pathId, type JsonObject } from './params.js';

const NO_STORE = { 'Cache-Control': 'private, no-cache' };

/** GET /api/rain-alerts: the alert on now (or null) and the recent ones, with the caller's progress. */
export async function getAlerts(call: Call): Promise<Reply> {
	const user = allow(call.user, 'rain-alert.read');
	const list = await rain.alerts(call.db.knex, user, call.scope);
	return json({ current: list.find((a) => a.ended_at === null) ?? null, alerts: list, default_metres: rain.alertMetres() }, 200, NO_STORE);
}

const SCOPE_SHAPE = '"metres"?, "spot_severities"?: {"active"?: "low"|"medium"|"high"|null, "monitoring"?: …, "fixed"?: …}, "grid_codes"?: [], "community_codes"?: []';
/** Bytes a scope may take: 500 codes of grids and communities each, with room to spare. */
const SCOPE_BODY_LIMIT = 64 * 1024;

/**
 * The scope in a request body; each part absent takes its default (RAIN_ALERT_METRES; every
 * active spot and the monitored ones from 中度 up; the whole county). A 400 names the field.
 */
export function scopeInput(body: JsonObject): AlertScope {
	const scope = rain.defaultScope(Object.hasOwn(body, 'metres') && body.metres !== null ? bodyNumber(body, 'metres', 1, MAX_ALERT_METRES) : rain.alertMetres());
	if (Object.hasOwn(body, 'spot_severities') && body.spot_severities !== null) {
		const chosen = body.spot_severities;
		if (typeof chosen !== 'object' || Array.isArray(chosen)) fail(400, `spot_severities must be an object: per status (${FLOOD_STATUSES.join(', ')}) the lowest severity that counts, or null`);
		const severities: SpotSeverities = {};
		for (const [status, severity] of Object.entries(chosen as JsonObject)) {
			if (!(FLOOD_STATUSES as readonly string[]).includes(status)) fail(400, `spot_severities.${status} is not a flood spot status: use ${FLOOD_STATUSES.join(', ')}`);
			if (severity === null) continue;
			if (typeof severity !== 'string' || !(FLOOD_SEVERITIES as readonly string[]).includes(severity)) {
				fail(400, `spot_severities.${status} must be one of ${FLOOD_SEVERITIES.join(', ')} or null, got ${JSON.stringify(severity)?.slice(0, 40)}`);
			}
			severities[status as FloodStatus] = severity as FloodSeverity;
		}
		if (Object.keys(severities).length === 0) fail(400, 'spot_severities counts no flood spot: give at least one status a severity');
		scope.spot_severities = severities;
	}
	scope.grid_codes = [...new Set(bodyTextList(body, 'grid_codes', MAX_ALERT_AREAS))];
	scope.community_codes = [...new Set(bodyTextList(body, 'community_codes', MAX_ALERT_AREAS))];
	return scope;
}

/** POST /api/rain-alerts {note, metres?, spot_severities?, grid_codes?, community_codes?}: switches an alert on (admin, planner); 201 with it. */
export async function postAlert(call: Call): Promise<Reply> {
	const user = allow(call.user, 'rain-alert.switch');
	const body = parseJsonObject(await call.body(SCOPE_BODY_LIMIT), `{"note": "the rainfall forecast", ${SCOPE_SHAPE}}`);
	const note = checkPlainText('note', bodyText(body, 'note', { max: 500, hint: 'the rainfall forecast' }));
	const id = await rain.start(call.db.knex, user, note, scopeInput(body));
	return json(await rain.alertOf(call.db.knex, user, call.scope, id), 201, { Location: `/api/rain-alerts/${id}` });
}

/**
 * POST /api/rain-alerts/preview {metres?, spot_severities?, grid_codes?, community_codes?}: how
 * many buildings and which grid workers switching on with this scope would reach; writes
 * nothing (a POST as the scope's lists may outgrow a URL). Those who may switch alerts on.
 */
export async function postPreview(call: Call): Promise<Reply> {
	allow(call.user, 'rain-alert.preview');
	const body = parseJsonObject(await call.body(SCOPE_BODY_LIMIT), `{${SCOPE_SHAPE}}`);
	return json(await rain.preview(call.db.knex, scopeInput(body)), 200, NO_STORE);
}

/** POST /api/rain-alerts/{id}/end: switches it off (admin, planner). */
export async function postEnd(call: Call): Promise<Reply> {
	const user = allow(call.user, 'rain-alert.end');
	const id = pathId(call.params, 'id');
	await rain.end(call.db.knex, user, id);
	return json(await rain.alertOf(call.db.knex, user, call.scope, id));
}

/** GET /api/rain-alerts/{id}/buildings: the inspection list, per grid with its grid workers. */
export async function getBuildings(call: Call): Promise<Reply> {
	const user = allow(call.user, 'rain-alert.read');
	const id = pathId(call.params, 'id');
	const alert = await rain.alertOf(call.db.knex, user, call.scope, id);
	return json({ alert, grids: rain.byGrid(await rain.buildings(call.db.knex, user, call.scope, id)) }, 200, NO_STORE);
}

export const CSV_FIELDS = [
	'grid_code', 'grid_name', 'grid_workers', 'building_code', 'building_name', 'address', 'households', 'building_heads',
	'flood_spot_code', 'distance_m', 'checked_at', 'checked_by', 'depth_cm', 'note'
] as const;

/** GET /api/rain-alerts/{id}/buildings.csv: the same list for a spreadsheet or a printout. */
export async function getBuildingsCsv(call: Call): Promise<Reply> {
	const user = allow(call.user, 'rain-alert.read');
	const id = pathId(call.params, 'id');
	await rain.alertOf(call.db.knex, user, call.scope, id);
	const people = (list: Person[]) => list.map((p) => (p.phone ? `${p.name} ${p.phone}` : p.name)).join('、');
	const rows = (await rain.buildings(call.db.knex, user, call.scope, id)).map((b) => ({ ...b, grid_workers: people(b.grid_workers), building_heads: people(b.building_heads) }));
	return {
		status: 200,
		headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="rain-alert-${id}.csv"`, 'Cache-Control': 'private, no-store' },
		body: csvDocument<(typeof rows)[number]>([...CSV_FIELDS], rows)
	};
}

/** How old a check sent from an offline phone may be (as a visit: visits.ts). */
export const OFFLINE_DAYS = 31;

export function checkInput(body: JsonObject, now = Date.now()): CheckInput {
	const incident = incidentInput(body, false);
	const hasLng = Object.hasOwn(body, 'lng') && body.lng !== null;
	const hasLat = Object.hasOwn(body, 'lat') && body.lat !== null;
	if (hasLng !== hasLat) fail(400, `${hasLng ? 'lat' : 'lng'} is required with ${hasLng ? 'lng' : 'lat'}: the phone's position takes both`);
	return {
		depth_cm: incident.depth_cm,
		note: incident.note,
		checked_at: bodyInstant(body, 'checked_at', new Date(now - OFFLINE_DAYS * 86_400_000)),
		idempotency_key: bodyOptionalText(body, 'idempotency_key', 100),
		position: hasLng ? [bodyNumber(body, 'lng', -180, 180), bodyNumber(body, 'lat', -90, 90)] : null
	};
}

/**
 * POST /api/rain-alerts/{id}/checks {building_code, depth_cm?, note?, checked_at?, idempotency_key?, lng?, lat?}:
 * checks a building off; 201, or 200 with the first check for a repeated idempotency_key.
 */
export async function postCheck(call: Call): Promise<Reply> {
	const user = allow(call.user, 'rain-alert.check');
	const id = pathId(call.params, 'id');
	const body = parseJsonObject(await call.body(8192), '{"building_code", "depth_cm"?, "note"?, "checked_at"?, "idempotency_key"?, "lng"?, "lat"?}');
	const building = bodyText(body, 'building_code', { max: 100 });
	const input = checkInput(body);
	const result = await rain.check(call.db.knex, user, call.scope, id, building, input);
	return json({ building_code: building, ...result, alert: await rain.alertOf(call.db.knex, user, call.scope, id) }, result.repeated ? 200 : 201);
}

/** GET /api/rain-alerts/{id}/progress: checked / total overall and per grid. */
export async function getProgress(call: Call): Promise<Reply> {
	const user = allow(call.user, 'rain-alert.read');
	const id = pathId(call.params, 'id');
	const alert = await rain.alertOf(call.db.knex, user, call.scope, id);
	return json({ alert, grids: await rain.progress(call.db.knex, user, call.scope, id) }, 200, NO_STORE);
}

/** GET /api/rain-alerts/{id}/progress.geojson: the grids coloured by progress on the map. */
export async function getProgressGeojson(call: Call): Promise<Reply> {
	const user = allow(call.user, 'rain-alert.read');
	const id = pathId(call.params, 'id');
	await rain.alertOf(call.db.knex, user, call.scope, id);
	return { status: 200, headers: { 'Content-Type': 'application/geo+json; charset=utf-8', ...NO_STORE }, body: JSON.stringify(await rain.progressGeojson(call.db.knex, user, call.scope, id)) };
}
