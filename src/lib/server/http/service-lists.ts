/**
 * 三张清单 over HTTP: reading resources, demands and projects from requests, the permission
 * check, and the answers. The verbs live in governance/service-lists.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { bodyDate, bodyNumber, bodyOneOf, bodyOptionalText, bodyText, bodyWholeNumber, checkPlainText, parseJsonObject, pathId, queryOneOf, MAX_CODE, MAX_ID, type JsonObject } from './params.js';
import { allow } from './allow.js';
import { fail } from '../platform/errors.js';
import * as lists from '../governance/service-lists.js';
import { DEMAND_STATUSES, PROJECT_STATUSES, SERVICE_CATEGORIES } from '../../domain/service-lists.js';

const NO_STORE = { 'Cache-Control': 'private, no-cache' };

const optionalId = (body: JsonObject, name: string) => (body[name] === undefined || body[name] === null ? undefined : bodyWholeNumber(body, name, 1, MAX_ID));
const title = (body: JsonObject) => checkPlainText('title', bodyText(body, 'title', { max: lists.TITLE_MAX }));
const optionalPlain = (body: JsonObject, name: string, max = lists.TEXT_MAX) => {
	const v = bodyOptionalText(body, name, max);
	return v === undefined ? undefined : checkPlainText(name, v);
};
function point(body: JsonObject, required: boolean): [number, number] | undefined {
	const has = (k: string) => Object.hasOwn(body, k) && body[k] !== null && body[k] !== undefined && body[k] !== '';
	if (!required && !has('lng') && !has('lat')) return undefined;
	return [bodyNumber(body, 'lng', -180, 180), bodyNumber(body, 'lat', -90, 90)];
}

/** GET /api/resources?category=: the resource list. */
export async function getResources(call: Call): Promise<Reply> {
	const category = queryOneOf(call.query, 'category', SERVICE_CATEGORIES);
	const user = allow(call.user, 'resource.read');
	return json({ resources: await lists.listResources(call.db.knex, user, call.scope, { category }) }, 200, NO_STORE);
}

/** POST /api/resources {category, title, description?, capacity?, community_code?, department_code?, unit_name?}. */
export async function postResource(call: Call): Promise<Reply> {
	const user = allow(call.user, 'resource.add');
	const body = parseJsonObject(await call.body(lists.BODY_LIMIT), '{"category", "title", "description"?, "capacity"?, "community_code"?, "department_code"?, "unit_name"?}');
	const input: lists.ResourceInput = {
		category: bodyOneOf(body, 'category', SERVICE_CATEGORIES),
		title: title(body),
		description: optionalPlain(body, 'description'),
		capacity: optionalPlain(body, 'capacity', lists.TITLE_MAX),
		community_code: bodyOptionalText(body, 'community_code', MAX_CODE),
		department_code: bodyOptionalText(body, 'department_code', MAX_CODE),
		unit_name: optionalPlain(body, 'unit_name', lists.TITLE_MAX)
	};
	const id = await lists.createResource(call.db.knex, user, input);
	return json({ id }, 201);
}

/** GET /api/demands?category=&status=: the demand list. */
export async function getDemands(call: Call): Promise<Reply> {
	const category = queryOneOf(call.query, 'category', SERVICE_CATEGORIES);
	const status = queryOneOf(call.query, 'status', DEMAND_STATUSES);
	const user = allow(call.user, 'demand.read');
	return json({ demands: await lists.listDemands(call.db.knex, user, call.scope, { category, status }) }, 200, NO_STORE);
}

/** POST /api/demands {category, title, description?, lng, lat, building_id?}. */
export async function postDemand(call: Call): Promise<Reply> {
	const user = allow(call.user, 'demand.record');
	const body = parseJsonObject(await call.body(lists.BODY_LIMIT), '{"category", "title", "description"?, "lng", "lat", "building_id"?}');
	const input: lists.DemandInput = {
		category: bodyOneOf(body, 'category', SERVICE_CATEGORIES),
		title: title(body),
		description: optionalPlain(body, 'description'),
		point: point(body, true)!,
		building_id: optionalId(body, 'building_id')
	};
	const id = await lists.createDemand(call.db.knex, user, call.scope, input);
	return json({ id }, 201);
}

/** GET /api/demands/{id}/matches: resources for a demand, liaison departments first. */
export async function getMatches(call: Call): Promise<Reply> {
	const id = pathId(call.params, 'id');
	const user = allow(call.user, 'demand.match');
	return json(await lists.matches(call.db.knex, user, call.scope, id), 200, NO_STORE);
}

/** GET /api/service-projects?category=: the project list. */
export async function getProjects(call: Call): Promise<Reply> {
	const category = queryOneOf(call.query, 'category', SERVICE_CATEGORIES);
	const user = allow(call.user, 'service-project.read');
	return json({ projects: await lists.listProjects(call.db.knex, user, call.scope, { category }) }, 200, NO_STORE);
}

/** POST /api/service-projects {title, demand_id?, resource_id?, community_code?, category?, meeting_id?, started_on?, lng?, lat?}. */
export async function postProject(call: Call): Promise<Reply> {
	const user = allow(call.user, 'service-project.agree');
	const body = parseJsonObject(await call.body(lists.BODY_LIMIT), '{"title", "demand_id"?, "resource_id"?, "community_code"?, "category"?, "meeting_id"?, "started_on"?, "lng"?, "lat"?}');
	const input: lists.ProjectInput = {
		title: title(body),
		category: body.category === undefined || body.category === null ? undefined : bodyOneOf(body, 'category', SERVICE_CATEGORIES),
		community_code: bodyOptionalText(body, 'community_code', MAX_CODE),
		demand_id: optionalId(body, 'demand_id'),
		resource_id: optionalId(body, 'resource_id'),
		meeting_id: optionalId(body, 'meeting_id'),
		started_on: body.started_on === undefined || body.started_on === null ? undefined : bodyDate(body, 'started_on'),
		point: point(body, false)
	};
	const id = await lists.createProject(call.db.knex, user, call.scope, input);
	return json({ id }, 201);
}

/** PATCH /api/service-projects/{id} {status?, progress_pct?}. */
export async function patchProject(call: Call): Promise<Reply> {
	const user = allow(call.user, 'service-project.update');
	const id = pathId(call.params, 'id');
	const body = parseJsonObject(await call.body(lists.BODY_LIMIT), '{"status"?, "progress_pct"?}');
	const input: lists.ProgressInput = {
		status: body.status === undefined || body.status === null ? undefined : bodyOneOf(body, 'status', PROJECT_STATUSES),
		progress_pct: body.progress_pct === undefined || body.progress_pct === null ? undefined : bodyWholeNumber(body, 'progress_pct', 0, 100)
	};
	if (input.status === undefined && input.progress_pct === undefined) fail(400, 'status or progress_pct is required');
	await lists.updateProject(call.db.knex, user, call.scope, id, input);
	return json({ id }, 200);
}
