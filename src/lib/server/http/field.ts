/**
 * The HTTP side of field work (issue 13): where a point lies for the caller, their buildings
 * and a building's card, the offline pack, and visits — recorded, listed, their coverage and
 * photos. The domain verbs live in src/lib/server/field/.
 */
import { cards, list as myBuildings, placement } from '../field/my-buildings.js';
import { pack } from '../field/offline-pack.js';
import * as visits from '../field/visits.js';
import { COVERAGE_LEVELS, MAX_VISIT_PHOTOS, OFFLINE_DAYS, SITUATIONS, currentMonth, type VisitInput } from '../field/visits.js';
import { fail } from '../platform/errors.js';
import { allow } from './allow.js';
import { json, type Call, type Reply } from './endpoint.js';
import {
	bodyCode, bodyInstant, bodyNumber, bodyOneOf, bodyOptionalText, bodyTextList, checkPlainText, parseJsonObject, pathCode, pathId,
	queryInt, queryMonth, queryNumber, queryOneOf, queryText, MAX_CODE, type JsonObject
} from './params.js';

const NO_STORE = { 'Cache-Control': 'private, no-cache' };

// ---------------------------------------------------------------- placement, buildings, offline pack

/** GET /api/me/placement?lng=&lat=: where a point lies for the signed-in caller, before they report there. */
export async function getPlacement(call: Call): Promise<Reply> {
	allow(call.user, 'placement.check');
	const lng = queryNumber(call.query, 'lng', -180, 180);
	const lat = queryNumber(call.query, 'lat', -90, 90);
	return json(await placement(call.db.knex, call.scope, lng, lat), 200, { 'Cache-Control': 'private, no-store' });
}

/** GET /api/me/buildings[?lng=&lat=]: the caller's buildings, nearest first from the position when given. */
export async function getMine(call: Call): Promise<Reply> {
	allow(call.user, 'my-building.read');
	const hasPosition = call.query.has('lng') || call.query.has('lat');
	const from: [number, number] | null = hasPosition ? [queryNumber(call.query, 'lng', -180, 180), queryNumber(call.query, 'lat', -90, 90)] : null;
	return json({ buildings: await myBuildings(call.db.knex, call.scope, from) });
}

/** GET /api/me/buildings/{code}: the card of one of the caller's buildings; 404 outside their territory. */
export async function getCard(call: Call): Promise<Reply> {
	allow(call.user, 'my-building.read');
	const code = pathCode(call.params, 'code');
	const [card] = await cards(call.db.knex, call.scope, code);
	if (!card) fail(404, `no building with code '${code}'`);
	return json(card, 200, { 'Cache-Control': 'private, no-cache' });
}

/** GET /api/me/offline: the signed-in field user's offline pack; other roles 403. */
export async function getOffline(call: Call): Promise<Reply> {
	const user = allow(call.user, 'offline-pack.take');
	return json(await pack(call.db.knex, user, call.scope), 200, { 'Cache-Control': 'private, no-store' });
}

// ---------------------------------------------------------------- visits

/** A visit is a few hundred bytes of JSON; photos travel separately (POST /api/photos). */
export const VISIT_BODY_LIMIT = 16 * 1024;

const VISIT_SHAPE =
	'{"building_code", "visited_at": "2026-12-01T09:30:00+08:00", "situation": "normal" | "attention" | "reported", "note"?, "household"?, "issue_code"?, "lng"?, "lat"?, "photos"?: [token, …], "idempotency_key"?}';

/** A visit from a request body; a 400 naming the field when one is wrong. */
export function visitInput(body: JsonObject, now = Date.now()): VisitInput {
	const building_code = bodyCode(body, 'building_code');
	if (!Object.hasOwn(body, 'visited_at') || body.visited_at == null || body.visited_at === '') fail(400, 'visited_at is required: when you were there, e.g. 2026-12-01T09:30:00+08:00');
	const visited_at = bodyInstant(body, 'visited_at', new Date(now - OFFLINE_DAYS * 86_400_000))!;
	const situation = bodyOneOf(body, 'situation', SITUATIONS);
	const note = bodyOptionalText(body, 'note', 2000);
	const household = bodyOptionalText(body, 'household', 40);
	const hasLng = Object.hasOwn(body, 'lng') && body.lng !== null;
	const hasLat = Object.hasOwn(body, 'lat') && body.lat !== null;
	if (hasLng !== hasLat) fail(400, `${hasLng ? 'lat' : 'lng'} is required with ${hasLng ? 'lng' : 'lat'}: the phone's position takes both`);
	return {
		building_code,
		visited_at,
		situation,
		note: note === undefined ? undefined : checkPlainText('note', note.trim()) || undefined,
		household: household === undefined ? undefined : checkPlainText('household', household.trim()) || undefined,
		issue_code: bodyOptionalText(body, 'issue_code', MAX_CODE),
		position: hasLng ? [bodyNumber(body, 'lng', -180, 180), bodyNumber(body, 'lat', -90, 90)] : null,
		photos: bodyTextList(body, 'photos', MAX_VISIT_PHOTOS),
		idempotency_key: bodyOptionalText(body, 'idempotency_key', 100)
	};
}

/** POST /api/visits: records a visit; 201 with it, 200 with the first one for a repeated idempotency_key. */
export async function postVisit(call: Call): Promise<Reply> {
	const user = allow(call.user, 'visit.record');
	const input = visitInput(parseJsonObject(await call.body(VISIT_BODY_LIMIT), VISIT_SHAPE));
	const { visit, repeated } = await visits.create(call.db.knex, user, call.scope, input);
	return json(visit, repeated ? 200 : 201, { Location: `/api/visits/${visit.code}`, ...NO_STORE });
}

/** GET /api/visits?building=&month=YYYY-MM&limit=: the caller's visits, newest first. */
export async function getVisits(call: Call): Promise<Reply> {
	allow(call.user, 'visit.read');
	const building = queryText(call.query, 'building', MAX_CODE);
	const month = queryMonth(call.query, 'month');
	const limit = queryInt(call.query, 'limit', 200, 1, 1000);
	if (building && !(await visits.readsBuilding(call.db.knex, call.scope, building))) fail(404, `no building with code '${building}'`);
	return json({ visits: await visits.list(call.db.knex, call.scope, { building, month, limit }) }, 200, NO_STORE);
}

/** GET /api/visits/coverage?month=YYYY-MM&level=grid|community: per area, buildings visited at least once that month. */
export async function getCoverage(call: Call): Promise<Reply> {
	allow(call.user, 'visit-coverage.read');
	const month = queryMonth(call.query, 'month') ?? currentMonth();
	const level = queryOneOf(call.query, 'level', COVERAGE_LEVELS) ?? 'grid';
	return json({ month, level, areas: await visits.coverage(call.db.knex, call.scope, level, month) }, 200, NO_STORE);
}

/** GET /api/visits/{code}/photos/{id}[?size=thumb]: a photo of a visit the caller may read. */
export async function getPhoto(call: Call): Promise<Reply> {
	allow(call.user, 'visit-photo.read');
	const code = pathCode(call.params, 'code');
	const id = pathId(call.params, 'id');
	const thumb = call.query.get('size') === 'thumb';
	const found = await visits.photo(call.db.knex, call.scope, code, id, thumb);
	if (!found) fail(404, `no photo ${id} of visit '${code}'`);
	return {
		status: 200,
		headers: { 'Content-Type': thumb ? 'image/webp' : found.mime, 'Cache-Control': 'private, max-age=86400', Vary: 'Cookie, Authorization', 'X-Content-Type-Options': 'nosniff' },
		body: found.bytes
	};
}
