/**
 * County departments over HTTP: reading a link change from a request, the permission check
 * (only an admin changes links) and the answers. The verbs live in governance/departments.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { bodyFlag, bodyText, checkPlainText, checkText, parseJsonObject, pathCode, queryText, MAX_CODE, type JsonObject } from './params.js';
import { allow } from './allow.js';
import { fail } from '../platform/errors.js';
import * as departments from '../governance/departments.js';

const NO_STORE = { 'Cache-Control': 'no-store' };
/** A link change body is a code, a flag and a reason. */
const BODY_LIMIT = 8 * 1024;

function reasonOf(body: JsonObject): string {
	return checkPlainText('reason', bodyText(body, 'reason', { max: departments.REASON_MAX, hint: 'why the link changes' }));
}

/** GET /api/departments?q=: the departments the caller may read. */
export async function getList(call: Call): Promise<Reply> {
	return json(await departments.list(call.db.knex, call.user, queryText(call.query, 'q', 100)), 200, NO_STORE);
}

/** GET /api/departments/{code}: a department's page data. */
export async function getPage(call: Call): Promise<Reply> {
	return json(await departments.read(call.db.knex, call.user, pathCode(call.params, 'code')), 200, NO_STORE);
}

/** POST /api/departments/{code}/liaisons {community_code, is_lead?, reason}: an admin adds a link or sets/unsets the lead unit. */
export async function postLiaison(call: Call): Promise<Reply> {
	const user = allow(call.user, 'liaison.change');
	const code = pathCode(call.params, 'code');
	const body = parseJsonObject(await call.body(BODY_LIMIT), '{"community_code": "…", "is_lead"?: true, "reason": "…"}');
	const community_code = checkText('community_code', bodyText(body, 'community_code', { max: MAX_CODE }), MAX_CODE);
	const is_lead = Object.hasOwn(body, 'is_lead') && body.is_lead !== null ? bodyFlag(body, 'is_lead') : undefined;
	const reason = reasonOf(body);
	const { created } = await departments.addLiaison(call.db.knex, user, code, { community_code, is_lead, reason });
	return json(await departments.read(call.db.knex, user, code), created ? 201 : 200, NO_STORE);
}

/** DELETE /api/departments/{code}/liaisons/{community} {reason}: an admin ends a link. */
export async function deleteLiaison(call: Call): Promise<Reply> {
	const user = allow(call.user, 'liaison.change');
	const code = pathCode(call.params, 'code');
	const community = pathCode(call.params, 'community');
	const reason = reasonOf(parseJsonObject(await call.body(BODY_LIMIT), '{"reason": "…"}'));
	await departments.removeLiaison(call.db.knex, user, code, community, reason);
	return json(await departments.read(call.db.knex, user, code), 200, NO_STORE);
}

/** PUT /api/departments/{code}/liaisons/{community}/deputy {person_code|null, reason}: an admin names or clears the deputy secretary. */
export async function putDeputy(call: Call): Promise<Reply> {
	const user = allow(call.user, 'liaison.change');
	const code = pathCode(call.params, 'code');
	const community = pathCode(call.params, 'community');
	const body = parseJsonObject(await call.body(BODY_LIMIT), '{"person_code": "P…" | null, "reason": "…"}');
	if (!Object.hasOwn(body, 'person_code')) fail(400, 'person_code is required: a person code, or null to clear the deputy secretary');
	const person = body.person_code === null ? null : bodyText(body, 'person_code', { max: MAX_CODE });
	const reason = reasonOf(body);
	await departments.setDeputy(call.db.knex, user, code, community, person, reason);
	return json(await departments.read(call.db.knex, user, code), 200, NO_STORE);
}
