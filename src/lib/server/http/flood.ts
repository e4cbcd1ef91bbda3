/**
 * The HTTP side of 积水点 flood spots: the spots and one spot with its incidents, a new spot,
 * a change, an incident. Who may do what is the permission table's (`flood.*`,
 * `flood-incident.add`); the domain verbs live in flood/flood.ts.
 */
import * as flood from '../flood/flood.js';
import { MAX_DEPTH_CM, MAX_RAINFALL_MM, type IncidentInput, type SpotInput } from '../flood/flood.js';
import { FLOOD_CAUSES, FLOOD_SEVERITIES, FLOOD_STATUSES } from '../../domain/glossary.js';
import { readGeoJson } from '../../geo/geojson-check.js';
import { fail } from '../platform/errors.js';
import { allow } from './allow.js';
import { json, type Call, type Reply } from './endpoint.js';
import {
	bodyDate,
	bodyNumber,
	bodyOneOf,
	bodyOptionalText,
	bodyText,
	bodyWholeNumber,
	checkPlainText,
	parseJsonObject,
	pathCode,
	today,
	type JsonObject
} from './params.js';

export const FLOOD_BODY_LIMIT = 256 * 1024;

const SPOT_SHAPE = '{"name", "cause", "severity", "status"?, "geometry": GeoJSON Point | Polygon | MultiPolygon, "issue_code"?, "project_code"?}';

/** A GeoJSON geometry field, checked (structure, ranges, type), as text for PostGIS. */
function bodyGeometry(body: JsonObject, name: string): string {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (!value || typeof value !== 'object' || Array.isArray(value)) fail(400, `${name} must be a GeoJSON Point, Polygon or MultiPolygon`);
	const text = JSON.stringify(value);
	const result = readGeoJson(text, { allowed: ['Point', 'Polygon', 'MultiPolygon'], crs: 'wgs84' });
	if (!result.ok) fail(400, `${name}: ${result.error}`);
	if (result.problems.length) fail(400, `${name}: ${result.problems[0].reason}`);
	if (result.features.length !== 1) fail(400, `${name} must be one geometry`);
	return JSON.stringify(result.features[0].geometry);
}

/** A link field: absent is undefined (unchanged), null or '' unlinks, else a code. */
function bodyLink(body: JsonObject, name: string): string | null | undefined {
	if (!Object.hasOwn(body, name)) return undefined;
	if (body[name] === null || body[name] === '') return null;
	return bodyOptionalText(body, name, 100);
}

function spotInput(body: JsonObject, creating: boolean): SpotInput {
	const has = (name: string) => creating || Object.hasOwn(body, name);
	return {
		name: has('name') ? checkPlainText('name', bodyText(body, 'name', { max: 100 })) : undefined,
		cause: has('cause') ? bodyOneOf(body, 'cause', FLOOD_CAUSES) : undefined,
		severity: has('severity') ? bodyOneOf(body, 'severity', FLOOD_SEVERITIES) : undefined,
		status: Object.hasOwn(body, 'status') ? bodyOneOf(body, 'status', FLOOD_STATUSES) : undefined,
		geometry: has('geometry') ? bodyGeometry(body, 'geometry') : undefined,
		issue_code: bodyLink(body, 'issue_code'),
		project_code: bodyLink(body, 'project_code')
	};
}

/** An incident from a body: depth in whole cm (0 to MAX_DEPTH_CM), rainfall in mm, a day not in the future. */
export function incidentInput(body: JsonObject, requireDepth: boolean): IncidentInput {
	const present = (name: string) => Object.hasOwn(body, name) && body[name] !== null && body[name] !== '';
	const occurred = bodyDate(body, 'occurred_on', today());
	if (occurred > today()) fail(400, `occurred_on ${occurred} is in the future`);
	const note = bodyOptionalText(body, 'note', 500);
	return {
		occurred_on: occurred,
		depth_cm: requireDepth || present('depth_cm') ? bodyWholeNumber(body, 'depth_cm', 0, MAX_DEPTH_CM) : null,
		rainfall_mm: present('rainfall_mm') ? bodyNumber(body, 'rainfall_mm', 0, MAX_RAINFALL_MM) : null,
		note: note === undefined ? null : checkPlainText('note', note)
	};
}

/** GET /api/flood: the flood spots the caller may read. */
export async function getSpots(call: Call): Promise<Reply> {
	allow(call.user, 'flood.read');
	return json({ spots: await flood.list(call.db.knex, call.scope) }, 200, { 'Cache-Control': 'private, no-cache' });
}

/** GET /api/flood/{code}: one spot with its incidents. */
export async function getSpot(call: Call): Promise<Reply> {
	allow(call.user, 'flood.read');
	const code = pathCode(call.params, 'code');
	const record = await flood.read(call.db.knex, call.scope, code);
	if (!record) fail(404, `no flood spot with code '${code}'`);
	return json(record, 200, { 'Cache-Control': 'private, no-cache' });
}

/** POST /api/flood: a new spot (admin, planner, housing); 201 with the spot. */
export async function postSpot(call: Call): Promise<Reply> {
	const user = allow(call.user, 'flood.create');
	const input = spotInput(parseJsonObject(await call.body(FLOOD_BODY_LIMIT), SPOT_SHAPE), true) as Parameters<typeof flood.create>[2];
	const code = await flood.create(call.db.knex, user, input);
	return json(await flood.read(call.db.knex, call.scope, code), 201, { Location: `/api/flood/${code}` });
}

/** PATCH /api/flood/{code}: changes the fields sent (admin, planner, housing). */
export async function patchSpot(call: Call): Promise<Reply> {
	const user = allow(call.user, 'flood.edit');
	const code = pathCode(call.params, 'code');
	const input = spotInput(parseJsonObject(await call.body(FLOOD_BODY_LIMIT), SPOT_SHAPE), false);
	await flood.update(call.db.knex, user, code, input);
	return json(await flood.read(call.db.knex, call.scope, code));
}

/** POST /api/flood/{code}/incidents {occurred_on?, depth_cm?, rainfall_mm?, note?}: 201 with the spot. */
export async function postIncident(call: Call): Promise<Reply> {
	const user = allow(call.user, 'flood-incident.add');
	const code = pathCode(call.params, 'code');
	const input = incidentInput(parseJsonObject(await call.body(8192), '{"occurred_on"?, "depth_cm"?, "rainfall_mm"?, "note"?}'), false);
	const id = await flood.addIncident(call.db.knex, user, call.scope, code, input);
	return json({ id, spot: await flood.read(call.db.knex, call.scope, code) }, 201);
}
