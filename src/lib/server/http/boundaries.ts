/**
 * The HTTP side of the boundary editor: a proposed outline read from the request (the same
 * structural checks as the import), previewed or applied by the domain (areas/boundaries.ts).
 * Who may change which outline is the domain's to say (`boundary.apply`, `roster.edit`): its
 * refusals name the reach.
 */
import type { Geometry } from 'geojson';
import { BOUNDARY_LEVELS, MAX_UPLOAD_VERTICES, apply, preview, type BoundaryLevel } from '../areas/boundaries.js';
import { mayManage } from '../ownership/manage.js';
import { readGeoJson } from '../../geo/geojson-check.js';
import { geometryToWgs84 } from '../../geo/crs.js';
import { fail } from '../platform/errors.js';
import { allow } from './allow.js';
import { json, type Call, type Reply } from './endpoint.js';
import { bodyCode, bodyDate, bodyOneOf, bodyText, parseJsonObject, readCrs, today, type JsonObject } from './params.js';

/** An outline of 100,000 vertices as GeoJSON text, with room to spare (issue 8). */
export const BOUNDARY_BODY_LIMIT = 8 * 1024 * 1024;

const BODY_SHAPE = '{"level", "code", "geometry", "crs"?, "effective_date"?, "reason"?}';

/** The outline of a request: the same structural checks as the import (closed rings, finite coordinates in range), converted to WGS84. */
function readOutline(body: JsonObject): { level: BoundaryLevel; code: string; geometry: Geometry } {
	const level = bodyOneOf(body, 'level', BOUNDARY_LEVELS);
	const code = bodyCode(body, 'code');
	const crs = readCrs('crs', body.crs);
	// Up to the upload's bound here: an outline over MAX_VERTICES is simplified by the domain, not refused.
	const read = readGeoJson(JSON.stringify(body.geometry ?? null), { allowed: ['Polygon', 'MultiPolygon'], crs, maxVertices: MAX_UPLOAD_VERTICES });
	if (!read.ok) fail(400, `geometry: ${read.error}`);
	if (read.problems.length) fail(400, `geometry: ${read.problems.map((p) => p.reason).join('; ')}`);
	if (read.features.length !== 1) fail(400, 'geometry must be one Polygon or MultiPolygon');
	return { level, code, geometry: geometryToWgs84(read.features[0].geometry, crs) };
}

async function readRequest(call: Call) {
	// Signed in first (allow's 401); the role and its reach are checked once the outline is read, with the domain's wording.
	const user = call.user ?? allow(call.user, 'boundary.apply');
	const body = parseJsonObject(await call.body(BOUNDARY_BODY_LIMIT), BODY_SHAPE);
	const outline = readOutline(body);
	await mayManage(call.db.knex, user, outline.level, outline.code);
	return { user, body, ...outline };
}

/** POST /api/boundaries/preview: what would change owner if the area took this outline; writes nothing. */
export async function postPreview(call: Call): Promise<Reply> {
	const r = await readRequest(call);
	return json(await preview(call.db.knex, r.user, r.level, r.code, r.geometry));
}

/** POST /api/boundaries/apply: the outline from an effective date (today or earlier) with a reason, in one transaction. */
export async function postApply(call: Call): Promise<Reply> {
	const r = await readRequest(call);
	const effective = bodyDate(r.body, 'effective_date');
	if (effective > today()) fail(400, `effective_date ${effective} is in the future; apply it on the day`);
	const reason = bodyText(r.body, 'reason', { hint: 'say why the boundary changes' });
	return json(await apply(call.db.knex, r.user, r.level, r.code, r.geometry, effective, reason));
}
