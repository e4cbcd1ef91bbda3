/**
 * The case loop's settings over HTTP (/admin/cases and its API): reading a category change or
 * a set of time limits from a request, the admin's permission, the reply. The settings and
 * their audit rows are cases/case-settings.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { fail, isApiError } from '../platform/errors.js';
import { bodyOneOf, bodyOptionalText, bodyText, bodyWholeNumber, checkPlainText, parseJsonObject, pathCode, pathId, MAX_CODE, type JsonObject } from './params.js';
import { allow } from './allow.js';
import * as settings from '../cases/case-settings.js';
import { ISSUE_SOURCES, MATTER_TYPES, PUBLICATIONS, URGENCIES } from '../../domain/glossary.js';

/** Settings bodies are a few hundred bytes; ten limits fit easily. */
const SETTINGS_BODY_LIMIT = 16 * 1024;

/** A category change from a request body; a 400 naming the field when it is wrong. */
export function categoryChange(body: JsonObject): settings.CategoryChange {
	const handler = bodyOneOf(body, 'handler', settings.HANDLER_KINDS);
	let department_code: string | null | undefined;
	if (Object.hasOwn(body, 'department_code')) {
		const raw = body.department_code;
		department_code = raw === null || raw === '' ? null : bodyText(body, 'department_code', { max: MAX_CODE });
	}
	let active: boolean | undefined;
	if (Object.hasOwn(body, 'active') && body.active !== null) {
		if (typeof body.active !== 'boolean') fail(400, 'active must be true or false');
		active = body.active;
	}
	const publication = bodyOptionalText(body, 'publication') === undefined ? undefined : bodyOneOf(body, 'publication', PUBLICATIONS);
	return { handler, department_code, active, publication };
}

/** Reads a nested object's field with the readers of params.ts, the message naming where it is (`limits[2].hours …`). */
function inEntry<T>(prefix: string, read: () => T): T {
	try {
		return read();
	} catch (error) {
		if (isApiError(error) && error.status === 400) fail(400, `${prefix}.${error.message}`);
		throw error;
	}
}

const LIMITS_SHAPE = '{"limits": [{"matter_type": "practical", "urgency": "general", "hours": 40}, …]}';

/** Time limits from a request body: every entry checked before anything is written. */
export function limitsInput(body: JsonObject): settings.TimeLimit[] {
	const list = Object.hasOwn(body, 'limits') ? body.limits : undefined;
	const most = MATTER_TYPES.length * URGENCIES.length;
	if (!Array.isArray(list) || list.length === 0) fail(400, `limits must be a non-empty list: ${LIMITS_SHAPE}`);
	if (list.length > most) fail(400, `limits may hold at most ${most} entries, got ${list.length}`);
	const seen = new Set<string>();
	return list.map((entry, i) => {
		const at = `limits[${i}]`;
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) fail(400, `${at} must be {"matter_type", "urgency", "hours"}`);
		const e = entry as JsonObject;
		const limit: settings.TimeLimit = {
			matter_type: inEntry(at, () => bodyOneOf(e, 'matter_type', MATTER_TYPES)),
			urgency: inEntry(at, () => bodyOneOf(e, 'urgency', URGENCIES)),
			hours: inEntry(at, () => bodyWholeNumber(e, 'hours', 1, settings.MAX_LIMIT_HOURS))
		};
		const key = `${limit.matter_type}/${limit.urgency}`;
		if (seen.has(key)) fail(400, `${at} repeats ${key}`);
		seen.add(key);
		return limit;
	});
}

const NO_STORE = { 'Cache-Control': 'no-store' };

/** GET /api/case-categories: any signed-in user (report forms list them). */
export async function getCategories(call: Call): Promise<Reply> {
	allow(call.user, 'case-category.read');
	return json(await settings.categories(call.db.knex), 200, { 'Cache-Control': 'private, no-cache' });
}

/** PUT /api/case-categories/{code} {handler, department_code?, active?, publication?}: an admin changes a category's rule. */
export async function putCategory(call: Call): Promise<Reply> {
	const user = allow(call.user, 'case-category.edit');
	const code = pathCode(call.params, 'code');
	const change = categoryChange(parseJsonObject(await call.body(SETTINGS_BODY_LIMIT), '{"handler": "department", "department_code"?: "…", "active"?: true, "publication"?: "exact"}'));
	return json(await settings.updateCategory(call.db.knex, user, code, change), 200, NO_STORE);
}

/** GET /api/case-time-limits: any signed-in user. */
export async function getTimeLimits(call: Call): Promise<Reply> {
	allow(call.user, 'case-time-limit.read');
	return json(await settings.timeLimits(call.db.knex), 200, { 'Cache-Control': 'private, no-cache' });
}

/** PUT /api/case-time-limits {limits: [{matter_type, urgency, hours}]}: an admin sets limits, all or none. */
export async function putTimeLimits(call: Call): Promise<Reply> {
	const user = allow(call.user, 'case-time-limit.edit');
	const limits = limitsInput(parseJsonObject(await call.body(SETTINGS_BODY_LIMIT), LIMITS_SHAPE));
	return json(await settings.updateTimeLimits(call.db.knex, user, limits), 200, NO_STORE);
}

/** PUT /api/departments/{code}/ack-limit {hours}: an admin sets a department's acknowledgement limit. */
export async function putAckLimit(call: Call): Promise<Reply> {
	const user = allow(call.user, 'case-ack-limit.edit');
	const code = pathCode(call.params, 'code');
	const hours = bodyWholeNumber(parseJsonObject(await call.body(SETTINGS_BODY_LIMIT), '{"hours": 8}'), 'hours', 1, settings.MAX_ACK_HOURS);
	return json(await settings.updateAckLimit(call.db.knex, user, code, hours), 200, NO_STORE);
}

/** GET /api/open311-keys: an admin lists the keys (never a key or its hash). */
export async function getApiKeys(call: Call): Promise<Reply> {
	allow(call.user, 'api-key.list');
	return json(await settings.apiKeys(call.db.knex), 200, NO_STORE);
}

/** POST /api/open311-keys {name, source?}: an admin issues a key, shown in this answer only. */
export async function postApiKey(call: Call): Promise<Reply> {
	const user = allow(call.user, 'api-key.issue');
	const body = parseJsonObject(await call.body(SETTINGS_BODY_LIMIT), '{"name": "市民 App", "source"?: "resident"}');
	const name = checkPlainText('name', bodyText(body, 'name', { max: 100, hint: 'which app holds the key' }));
	const source = bodyOptionalText(body, 'source') === undefined ? 'resident' : bodyOneOf(body, 'source', ISSUE_SOURCES);
	const issued = await settings.issueApiKey(call.db.knex, user, name, source);
	return json(issued, 201, { ...NO_STORE, Location: `/api/open311-keys/${issued.id}` });
}

/** POST /api/open311-keys/{id}/revoke: an admin revokes a key. */
export async function postRevokeApiKey(call: Call): Promise<Reply> {
	const user = allow(call.user, 'api-key.revoke');
	return json(await settings.revokeApiKey(call.db.knex, user, pathId(call.params, 'id')), 200, NO_STORE);
}
