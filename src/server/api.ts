/**
 * The map's hot read endpoints — owner(point) and the area panel — served by Express like
 * the tiles, not by SvelteKit. A planner's click and a phone's owner lookup are the
 * requests made most often, and each takes well under a millisecond of SQL; SvelteKit's
 * conversion of every Node request into a Web Request and back cost more than the query
 * (issue 3 and 4 benches). Parameter checks are the same helpers the SvelteKit routes use:
 * they throw SvelteKit's HttpError, which `send` turns into the same `{message}` 4xx.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { isHttpError, error } from '@sveltejs/kit';
import { appDatabase } from '../lib/server/app-database.js';
import * as areas from '../lib/server/areas.js';
import * as ownership from '../lib/server/ownership.js';
import { scopeFor, type Scope } from '../lib/server/territory.js';
import { enumParam, intParam, numberParam } from '../lib/server/http.js';
import { ISSUE_CATEGORIES, ISSUE_STATUSES, type AreaLevel } from '../lib/domain/sample.js';
import { parseCrs, positionToWgs84, inRange, type Crs } from '../lib/geo/crs.js';
import type { User } from '../lib/server/accounts.js';
import type { Database } from '../lib/server/db.js';
import { requestUser } from './session.js';

interface Context {
	db: Database;
	user: User | null;
	scope: Scope;
	query: URLSearchParams;
}

/** Runs a handler with the caller's user and scope; its value is the JSON body, a thrown HttpError the 4xx. */
function send(handler: (req: Request, ctx: Context) => Promise<unknown>) {
	return async (req: Request, res: Response, next: NextFunction) => {
		try {
			const db = await appDatabase();
			const user = await requestUser(db.knex, req);
			const query = new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1 || req.url.length));
			const body = await handler(req, { db, user, scope: await scopeFor(db.knex, user), query });
			res.json(body);
		} catch (e) {
			if (isHttpError(e)) return void res.status(e.status).json(e.body);
			next(e);
		}
	};
}

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
async function ownerAtPoint(_req: Request, { db, scope, query }: Context) {
	const crs = readCrs(query.get('crs'));
	const geographic = crs !== 'epsg:3857';
	const lng = numberParam(query, 'lng', geographic ? -180 : -20037508.3428, geographic ? 180 : 20037508.3428);
	const lat = numberParam(query, 'lat', geographic ? -90 : -20037508.3428, geographic ? 90 : 20037508.3428);
	const at = readDate(query.get('at'));
	const [owner] = await ownership.owners(db.knex, [positionToWgs84([lng, lat], crs)], { at, scope });
	return { ...owner, crs, at: at ?? null };
}

/** Up to 10,000 points at once: {"points": [[lng, lat], …], "crs"?, "at"?}. */
async function ownerOfPoints(req: Request, { db, scope }: Context) {
	const body = req.body as Record<string, unknown> | undefined;
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

async function areaSummary(req: Request, { db, scope }: Context) {
	const level = areaLevel(String(req.params.level));
	const code = String(req.params.code);
	const area = await areas.summary(db.knex, level, code, scope);
	if (!area) error(404, `no ${level} with code '${code}'`);
	return area;
}

async function areaIssues(req: Request, { db, user, scope, query }: Context) {
	const level = areaLevel(String(req.params.level));
	const code = String(req.params.code);
	const filter = {
		status: enumParam(query, 'status', ISSUE_STATUSES),
		category: enumParam(query, 'category', ISSUE_CATEGORIES),
		page: intParam(query, 'page', 1, 1, 100_000),
		limit: intParam(query, 'limit', 20, 1, 100)
	};
	if (!user) error(401, 'sign in to see issues');
	const page = await areas.issues(db.knex, level, code, filter, scope);
	if (!page) error(404, `no ${level} with code '${code}'`);
	return page;
}

async function areaAtPoint(_req: Request, { db, scope, query }: Context) {
	const lng = numberParam(query, 'lng', -180, 180);
	const lat = numberParam(query, 'lat', -90, 90);
	const raw = query.get('level') || undefined;
	const level = raw === undefined ? undefined : areaLevel(raw);
	const area = await areas.at(db.knex, lng, lat, level, scope);
	if (!area) error(404, `no ${level ?? 'area'} covers ${lng}, ${lat}`);
	return area;
}

/** A body that is not JSON, or too large, is the caller's mistake: a 4xx naming it. */
function badBody(e: unknown, _req: Request, res: Response, next: NextFunction) {
	const status = (e as { status?: number }).status;
	if (typeof status !== 'number' || status < 400 || status >= 500) return next(e);
	const message =
		status === 413 ? 'the body is too large (at most 2 MB)' : 'the body must be JSON: {"points": [[lng, lat], …]}';
	res.status(status).json({ message });
}

export function apiRouter() {
	const router = express.Router();
	router.get('/api/owner', send(ownerAtPoint));
	router.post('/api/owner', express.json({ limit: '2mb', type: () => true }), send(ownerOfPoints));
	router.get('/api/areas/at', send(areaAtPoint));
	router.get('/api/areas/:level/:code', send(areaSummary));
	router.get('/api/areas/:level/:code/issues', send(areaIssues));
	router.use(badBody);
	return router;
}
