/**
 * 双报到 over HTTP: reading members, service items, claims and periods from requests, the
 * permission check, and the answers. The verbs live in governance/dual-reporting.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import {
	bodyDate, bodyNumber, bodyOneOf, bodyOptionalText, bodyText, bodyWholeNumber, checkPlainText, parseJsonObject, pathId, queryDate,
	MAX_CODE, MAX_ID, type JsonObject
} from './params.js';
import { allow, signedInFor } from './allow.js';
import { fail } from '../platform/errors.js';
import * as dual from '../governance/dual-reporting.js';
import { SERVICE_CATEGORIES } from '../../domain/service-lists.js';

const NO_STORE = { 'Cache-Control': 'private, no-cache' };

const optionalId = (body: JsonObject, name: string) => (body[name] === undefined || body[name] === null ? undefined : bodyWholeNumber(body, name, 1, MAX_ID));
const optionalPlain = (body: JsonObject, name: string, max = dual.TEXT_MAX) => {
	const v = bodyOptionalText(body, name, max)?.trim();
	return v ? checkPlainText(name, v) : undefined;
};
const given = (body: JsonObject, name: string) => Object.hasOwn(body, name) && body[name] !== null && body[name] !== undefined && body[name] !== '';
function point(body: JsonObject): [number, number] | undefined {
	if (!given(body, 'lng') && !given(body, 'lat')) return undefined;
	return [bodyNumber(body, 'lng', -180, 180), bodyNumber(body, 'lat', -90, 90)];
}
function period(query: URLSearchParams): dual.Period {
	const from = queryDate(query, 'from');
	const to = queryDate(query, 'to');
	if (from && to && from > to) fail(400, `from ${from} is after to ${to}`);
	return { from, to };
}

/** GET /api/party-members?from=&to=: the members the caller may read, with their figures. */
export async function getMembers(call: Call): Promise<Reply> {
	const p = period(call.query);
	const user = allow(call.user, 'party-member.read');
	return json({ members: await dual.memberFigures(call.db.knex, user, call.scope, p) }, 200, NO_STORE);
}

/** POST /api/party-members {name, community_code, department_code?, unit_name?, building_code?, registered_on?}. */
export async function postMember(call: Call): Promise<Reply> {
	const user = allow(call.user, 'party-member.register');
	const body = parseJsonObject(await call.body(dual.BODY_LIMIT), '{"name", "community_code", "department_code"?, "unit_name"?, "building_code"?, "registered_on"?}');
	const input: dual.MemberInput = {
		name: checkPlainText('name', bodyText(body, 'name', { max: dual.NAME_MAX })),
		community_code: bodyText(body, 'community_code', { max: MAX_CODE }),
		department_code: bodyOptionalText(body, 'department_code', MAX_CODE),
		unit_name: optionalPlain(body, 'unit_name', dual.TITLE_MAX),
		building_code: bodyOptionalText(body, 'building_code', MAX_CODE),
		registered_on: given(body, 'registered_on') ? bodyDate(body, 'registered_on') : undefined
	};
	const id = await dual.createMember(call.db.knex, user, input);
	return json({ id }, 201);
}

/** PATCH /api/party-members/{id} {left_on}: the member leaves. */
export async function patchMember(call: Call): Promise<Reply> {
	const user = allow(call.user, 'party-member.change');
	const id = pathId(call.params, 'id');
	const body = parseJsonObject(await call.body(dual.BODY_LIMIT), '{"left_on"}');
	const leftOn = bodyDate(body, 'left_on');
	await dual.leaveMember(call.db.knex, user, call.scope, id, leftOn);
	return json({ id }, 200);
}

/** GET /api/service-items?unclaimed=true: the service items with their claims. */
export async function getItems(call: Call): Promise<Reply> {
	const raw = call.query.get('unclaimed');
	if (raw !== null && raw !== '' && raw !== 'true' && raw !== 'false') fail(400, `unclaimed must be true or false`);
	const user = allow(call.user, 'service-item.read');
	return json({ items: await dual.listItems(call.db.knex, user, call.scope, { unclaimed: raw === 'true' }) }, 200, NO_STORE);
}

/** POST /api/service-items {demand_id} or {community_code, category, title, description?, lng?, lat?}, slots?. */
export async function postItem(call: Call): Promise<Reply> {
	const user = signedInFor(call.user, 'service-item.post');
	const body = parseJsonObject(await call.body(dual.BODY_LIMIT), '{"demand_id"} or {"community_code", "category", "title", "description"?, "lng"?, "lat"?}, "slots"?');
	const input: dual.ItemInput = {
		demand_id: optionalId(body, 'demand_id'),
		community_code: bodyOptionalText(body, 'community_code', MAX_CODE),
		category: given(body, 'category') ? bodyOneOf(body, 'category', SERVICE_CATEGORIES) : undefined,
		title: given(body, 'title') ? checkPlainText('title', bodyText(body, 'title', { max: dual.TITLE_MAX })) : undefined,
		description: optionalPlain(body, 'description'),
		point: point(body),
		slots: given(body, 'slots') ? bodyWholeNumber(body, 'slots', 1, dual.SLOTS_MAX) : 1
	};
	const id = await dual.createItem(call.db.knex, user, call.scope, input);
	return json({ id }, 201);
}

/** POST /api/service-items/{id}/claims {member_id}. */
export async function postClaim(call: Call): Promise<Reply> {
	const user = allow(call.user, 'service-item.claim');
	const itemId = pathId(call.params, 'id');
	const body = parseJsonObject(await call.body(dual.BODY_LIMIT), '{"member_id"}');
	const memberId = bodyWholeNumber(body, 'member_id', 1, MAX_ID);
	const id = await dual.claim(call.db.knex, user, call.scope, itemId, memberId);
	return json({ id }, 201);
}

/** PATCH /api/service-claims/{id} {hours, people_served?, done_on?, note?}: the service done. */
export async function patchClaim(call: Call): Promise<Reply> {
	const user = allow(call.user, 'service.record');
	const id = pathId(call.params, 'id');
	const body = parseJsonObject(await call.body(dual.BODY_LIMIT), '{"hours", "people_served"?, "done_on"?, "note"?}');
	const hours = bodyNumber(body, 'hours', 0, dual.HOURS_MAX);
	if (hours <= 0) fail(400, `hours must be above 0, got ${hours}`);
	if (Math.round(hours * 10) / 10 !== hours) fail(400, `hours must have at most one decimal place, got ${hours}`);
	const input: dual.DoneInput = {
		hours,
		people_served: given(body, 'people_served') ? bodyWholeNumber(body, 'people_served', 0, 100_000) : undefined,
		done_on: given(body, 'done_on') ? bodyDate(body, 'done_on') : undefined,
		note: optionalPlain(body, 'note')
	};
	await dual.recordDone(call.db.knex, user, call.scope, id, input);
	return json({ id }, 200);
}

/** GET /api/dual-reporting?from=&to=: the 双报到 figures. */
export async function getSummary(call: Call): Promise<Reply> {
	const p = period(call.query);
	const user = allow(call.user, 'dual-reporting.read');
	return json(await dual.summary(call.db.knex, user, call.scope, p), 200, NO_STORE);
}

