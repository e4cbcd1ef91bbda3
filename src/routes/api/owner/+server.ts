import { error, json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as ownership from '$lib/server/ownership';
import { scopeFor } from '$lib/server/territory';
import { numberParam } from '$lib/server/http';
import { parseCrs, positionToWgs84, inRange, type Crs } from '$lib/geo/crs';

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
export async function GET({ url, locals }) {
	const crs = readCrs(url.searchParams.get('crs'));
	const geographic = crs !== 'epsg:3857';
	const lng = numberParam(url.searchParams, 'lng', geographic ? -180 : -20037508.3428, geographic ? 180 : 20037508.3428);
	const lat = numberParam(url.searchParams, 'lat', geographic ? -90 : -20037508.3428, geographic ? 90 : 20037508.3428);
	const at = readDate(url.searchParams.get('at'));
	const db = await appDatabase();
	const [owner] = await ownership.owners(db.knex, [positionToWgs84([lng, lat], crs)], { at, scope: await scopeFor(db.knex, locals.user) });
	return json({ ...owner, crs, at: at ?? null });
}

/** Up to 10,000 points at once: {"points": [[lng, lat], …], "crs"?, "at"?}. */
export async function POST({ request, locals }) {
	let body: Record<string, unknown>;
	try {
		body = (await request.json()) ?? {};
	} catch {
		error(400, 'the body must be JSON: {"points": [[lng, lat], …]}');
	}
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
	const db = await appDatabase();
	const results = await ownership.owners(db.knex, wgs84, { at, scope: await scopeFor(db.knex, locals.user) });
	return json({ crs, at: at ?? null, results });
}
