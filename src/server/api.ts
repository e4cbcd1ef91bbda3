/**
 * owner(point) and the area panel's endpoints. The GETs are hot routes (hot.ts answers them
 * before Express); POST /api/owner, with its body of up to 10,000 points, goes through
 * Express for body parsing. Parameter checks are the helpers the SvelteKit routes use: they
 * throw SvelteKit's HttpError, which becomes the same `{message}` 4xx.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { json, type Context, type Reply } from './reply.js';
import { isHttpError, error } from '@sveltejs/kit';
import { appDatabase } from '../lib/server/app-database.js';
import * as areas from '../lib/server/areas.js';
import * as ownership from '../lib/server/ownership.js';
import { scopeFor, type Scope } from '../lib/server/territory.js';
import { enumParam, intParam, numberParam } from '../lib/server/http.js';
import { ISSUE_CATEGORIES, ISSUE_STATUSES, type AreaLevel } from '../lib/domain/glossary.js';
import { parseCrs, positionToWgs84, inRange, type Crs } from '../lib/geo/crs.js';
import type { Database } from '../lib/server/db.js';
import { requestUser } from './session.js';

function areaLevel(level: string): AreaLevel {
	if (!areas.isAreaLevel(level)) error(400, `unknown level '${level}'; known: ${areas.AREA_LEVELS.join(', ')}`);
	return level;
}

function readCrs(value: string | null | undefined): Crs {
	if (value == null || value === '') return 'wgs84';
	const crs = parseCrs(value);
	if (!crs) error(400, `crs '${value}' is not known; use wgs84, gcj02, cgcs2000 or epsg:3857`);
	return crs;
}

function readDate(value: string | null | undefined): string | undefined {
	if (value == null || value === '') return undefined;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) error(400, `at '${value}' must be a date YYYY-MM-DD`);
	return value;
}

/** Anonymous callers learn the areas; signed-in users also the people responsible, inside their territory. */
export async function ownerAtPoint({ db, scope, query }: Context): Promise<Reply> {
	const crs = readCrs(query.get('crs'));
	const geographic = crs !== 'epsg:3857';
	const lng = numberParam(query, 'lng', geographic ? -180 : -20037508.3428, geographic ? 180 : 20037508.3428);
	const lat = numberParam(query, 'lat', geographic ? -90 : -20037508.3428, geographic ? 90 : 20037508.3428);
	const at = readDate(query.get('at'));
	const owner = await ownership.ownerText(db.knex, positionToWgs84([lng, lat], crs), { at, scope });
	// The object PostgreSQL built, with the request's crs and date appended.
	return { status: 200, body: `${owner.slice(0, -1)},"crs":${JSON.stringify(crs)},"at":${JSON.stringify(at ?? null)}}` };
}

/** Up to 10,000 points at once: {"points": [[lng, lat], …], "crs"?, "at"?}. */
async function ownerOfPoints(body: Record<string, unknown> | undefined, scope: Scope, db: Database) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) error(400, 'the body must be JSON: {"points": [[lng, lat], …]}');
	const crs = readCrs(body.crs as string | undefined);
	const at = readDate(body.at as string | undefined);
	const points = body.points;
	if (!Array.isArray(points) || points.length === 0) error(400, 'points must be a non-empty array of [lng, lat]');
	if (points.length > ownership.MAX_POINTS) error(400, `at most ${ownership.MAX_POINTS} points per request, got ${points.length}`);
	const wgs84 = points.map((p, i) => {
		if (!Array.isArray(p) || p.length < 2 || !p.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v))) {
			error(400, `points[${i}] must be [lng, lat] with finite numbers`);
		}
		if (!inRange(p, crs)) error(400, `points[${i}] [${p[0]}, ${p[1]}] is out of range for ${crs}`);
		return positionToWgs84(p, crs);
	});
	const results = await ownership.owners(db.knex, wgs84, { at, scope });
	return { crs, at: at ?? null, results };
}

export async function areaSummary({ db, scope, params }: Context): Promise<Reply> {
	const level = areaLevel(params.level);
	const area = await areas.summaryText(db.knex, level, params.code, scope);
	if (area === null) error(404, `no ${level} with code '${params.code}'`);
	return { status: 200, body: area };
}

export async function areaIssues({ db, user, scope, params, query }: Context): Promise<Reply> {
	const level = areaLevel(params.level);
	const code = params.code;
	const filter = {
		status: enumParam(query, 'status', ISSUE_STATUSES),
		category: enumParam(query, 'category', ISSUE_CATEGORIES),
		page: intParam(query, 'page', 1, 1, 100_000),
		limit: intParam(query, 'limit', 20, 1, 100)
	};
	if (!user) error(401, 'sign in to see issues');
	const page = await areas.issuesText(db.knex, level, code, filter, scope);
	if (page === null) error(404, `no ${level} with code '${code}'`);
	return { status: 200, body: page };
}

export async function areaAtPoint({ db, scope, query }: Context): Promise<Reply> {
	const lng = numberParam(query, 'lng', -180, 180);
	const lat = numberParam(query, 'lat', -90, 90);
	const raw = query.get('level') || undefined;
	const level = raw === undefined ? undefined : areaLevel(raw);
	const area = await areas.at(db.knex, lng, lat, level, scope);
	if (!area) error(404, `no ${level ?? 'area'} covers ${lng}, ${lat}`);
	return json(area);
}

/** A body that is not JSON, or too large, is the caller's mistake: a 4xx naming it. */
function badBody(e: unknown, _req: Request, res: Response, next: NextFunction) {
	const status = (e as { status?: number }).status;
	if (typeof status !== 'number' || status < 400 || status >= 500) return next(e);
	const message =
		status === 413 ? 'the body is too large (at most 2 MB)' : 'the body must be JSON: {"points": [[lng, lat], …]}';
	res.status(status).json({ message });
}

/** POST /api/owner through Express (the GETs of this module are hot routes, see hot.ts). */
export function apiRouter() {
	const router = express.Router();
	router.post('/api/owner', express.json({ limit: '2mb', type: () => true }), async (req: Request, res: Response, next: NextFunction) => {
		try {
			const db = await appDatabase();
			const scope = await scopeFor(db.knex, await requestUser(db.knex, req));
			res.json(await ownerOfPoints(req.body, scope, db));
		} catch (e) {
			if (isHttpError(e)) return void res.status(e.status).json(e.body);
			next(e);
		}
	});
	router.use(badBody);
	return router;
}
