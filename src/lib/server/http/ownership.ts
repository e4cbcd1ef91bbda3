/**
 * The HTTP side of ownership and rosters: who answers for a point (one or ten thousand), a
 * person's roles, an area's roster, and assigning or ending a role. The domain verbs live in
 * src/lib/server/ownership/; who may change a roster is theirs to say (manage.ts,
 * `roster.edit`), with its own wording.
 */
import { AREA_LEVELS, ROLES } from '../../domain/glossary.js';
import { inRange, positionToWgs84, type Crs } from '../../geo/crs.js';
import { readsArea } from '../areas/areas.js';
import { MAX_POINTS, owners } from '../ownership/ownership.js';
import { ROLE_LEVEL, assign, person, roster, unassign, type AssignInput } from '../ownership/people.js';
import { mayManage, mayManageAssignment } from '../ownership/manage.js';
import { fail } from '../platform/errors.js';
import { allow } from './allow.js';
import { json, jsonText, type Call, type Reply } from './endpoint.js';
import { bodyCode, bodyDate, bodyOneOf, bodyText, normalNumber, parseJsonObject, pathCode, pathId, pathOneOf, queryDate, queryNumber, readCrs, today } from './params.js';

// ---------------------------------------------------------------- owner

const MERCATOR_MAX = 20037508.3428;

/** A position of a request in `crs`: in range for it, converted to WGS84. */
function position(query: URLSearchParams, crs: Crs): [number, number] {
	const geographic = crs !== 'epsg:3857';
	const lng = queryNumber(query, 'lng', geographic ? -180 : -MERCATOR_MAX, geographic ? 180 : MERCATOR_MAX);
	const lat = queryNumber(query, 'lat', geographic ? -90 : -MERCATOR_MAX, geographic ? 90 : MERCATOR_MAX);
	return positionToWgs84([lng, lat], crs);
}

/**
 * GET /api/owner?lng=&lat=[&crs=][&at=]: who answers for a point. Anonymous callers learn the
 * areas; signed-in users also the people responsible, inside their territory.
 */
export async function getOwner(call: Call): Promise<Reply> {
	const crs = readCrs('crs', call.query.get('crs'));
	const point = position(call.query, crs);
	const at = queryDate(call.query, 'at');
	const [owner] = await owners(call.db.knex, [point], { at, scope: call.scope });
	// The object PostgreSQL built, with the request's crs and date appended.
	return jsonText(`${owner.slice(0, -1)},"crs":${JSON.stringify(crs)},"at":${JSON.stringify(at ?? null)}}`);
}

/** Body limit of POST /api/owner: 10,000 points of full-precision coordinates fit in well under 1 MB. */
export const OWNER_BODY_LIMIT = 2 * 1024 * 1024;

/** POST /api/owner {"points": [[lng, lat], …], "crs"?, "at"?}: up to 10,000 points at once. */
export async function postOwners(call: Call): Promise<Reply> {
	const body = parseJsonObject(await call.body(OWNER_BODY_LIMIT), '{"points": [[lng, lat], …], "crs"?, "at"?}');
	const crs = readCrs('crs', body.crs);
	const at = body.at === undefined || body.at === null || body.at === '' ? undefined : bodyDate(body, 'at');
	const points = body.points;
	if (!Array.isArray(points) || points.length === 0) fail(400, 'points must be a non-empty array of [lng, lat]');
	if (points.length > MAX_POINTS) fail(400, `at most ${MAX_POINTS} points per request, got ${points.length}`);
	const wgs84 = points.map((p, i) => {
		if (!Array.isArray(p) || p.length < 2 || !p.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v))) {
			fail(400, `points[${i}] must be [lng, lat] with finite numbers`);
		}
		if (!inRange(p, crs)) fail(400, `points[${i}] [${p[0]}, ${p[1]}] is out of range for ${crs}`);
		return positionToWgs84([normalNumber(p[0]), normalNumber(p[1])], crs);
	});
	const results = await owners(call.db.knex, wgs84, { at, scope: call.scope });
	return jsonText(`{"crs":${JSON.stringify(crs)},"at":${JSON.stringify(at ?? null)},"results":[${results.join(',')}]}`);
}

// ---------------------------------------------------------------- people and rosters

/** GET /api/people/{code}: a person's roles (current and past) and territory; signed-in only, a territory sees its own people. */
export async function getPerson(call: Call): Promise<Reply> {
	allow(call.user, 'person.read');
	const code = pathCode(call.params, 'code');
	const found = await person(call.db.knex, call.scope, code);
	if (!found) fail(404, `no person with code '${code}'`);
	return json(found);
}

/** GET /api/areas/{level}/{code}/roster: the 4+N of a community, the 两长两员 of a building. */
export async function getRoster(call: Call): Promise<Reply> {
	const level = pathOneOf(call.params, 'level', AREA_LEVELS, 'level');
	const code = pathCode(call.params, 'code');
	allow(call.user, 'person.read');
	// The area's data must be the caller's to read: outside their territory only its outline is (issue 20, point 9).
	if (!(await readsArea(call.db.knex, level, code, call.scope))) fail(404, `no ${level} with code '${code}'`);
	return json(await roster(call.db.knex, level, code));
}

/** An assignment request is a few short fields. */
const ASSIGNMENT_BODY_LIMIT = 16 * 1024;

/** POST /api/assignments {"person_code", "role", "target_code", "valid_from"?, "reason"}: assign a role. */
export async function postAssignment(call: Call): Promise<Reply> {
	// Signed in first; whether the role and its reach may change this roster is manage.ts's to say (`roster.edit`).
	if (!call.user) fail(401, 'sign in to assign');
	const body = parseJsonObject(await call.body(ASSIGNMENT_BODY_LIMIT), '{"person_code", "role", "target_code", "valid_from"?, "reason"}');
	const input: AssignInput = {
		person_code: bodyCode(body, 'person_code'),
		role: bodyOneOf(body, 'role', ROLES),
		target_code: bodyCode(body, 'target_code'),
		valid_from: bodyDate(body, 'valid_from', today()),
		reason: bodyText(body, 'reason', { hint: 'say why' })
	};
	await mayManage(call.db.knex, call.user, ROLE_LEVEL[input.role], input.target_code);
	return json({ id: await assign(call.db.knex, input, call.user.username) }, 201);
}

/** POST /api/assignments/{id}/end {"valid_to"?, "reason"}: end an assignment; the row stays as history. */
export async function postEndAssignment(call: Call): Promise<Reply> {
	if (!call.user) fail(401, 'sign in to unassign');
	const id = pathId(call.params, 'id');
	const body = parseJsonObject(await call.body(ASSIGNMENT_BODY_LIMIT), '{"valid_to"?, "reason"}');
	const reason = bodyText(body, 'reason', { hint: 'say why' });
	const validTo = bodyDate(body, 'valid_to', today());
	await mayManageAssignment(call.db.knex, call.user, id);
	await unassign(call.db.knex, id, validTo, reason, call.user.username);
	return json({ id, valid_to: validTo });
}
