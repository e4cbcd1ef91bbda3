/**
 * /tiles/{layer}/{z}/{x}/{y}.pbf and /tiles/{layer}.json, served by Express rather than
 * SvelteKit so compression, ETag and caching headers are ours to set. The ETag carries the
 * data version (the newest audit row: every write leaves one), so a revalidation that finds
 * nothing changed costs one tiny query and no tile rendering.
 */
import express, { type Request, type Response } from 'express';
import { appDatabase } from '../lib/server/app-database.js';
import * as tiles from '../lib/server/tiles.js';
import type { Database } from '../lib/server/db.js';
import { scopeFor, type Scope } from '../lib/server/territory.js';
import { requestUser } from './session.js';
import { createHash } from 'node:crypto';

export const TILE_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

let version: { value: string; at: number } | null = null;
/** The data version, re-read at most once a second. */
async function dataVersion(db: Database): Promise<string> {
	if (version && Date.now() - version.at < 1000) return version.value;
	const { rows } = await db.knex.raw<{ rows: { v: string | number } []}>('SELECT coalesce(max(id), 0) AS v FROM audit_log');
	version = { value: String(rows[0].v), at: Date.now() };
	return version.value;
}

function badRequest(res: Response, message: string) {
	res.status(400).type('application/json').send({ message });
}

export function tileRouter() {
	const router = express.Router();

	router.get('/tiles/:file', (req: Request, res: Response) => {
		const match = /^(\w+)\.json$/.exec(String(req.params.file));
		if (!match) return badRequest(res, 'expected /tiles/{layer}.json or /tiles/{layer}/{z}/{x}/{y}.pbf');
		if (!tiles.isTileLayer(match[1])) return badRequest(res, unknownLayer(match[1]));
		res.set('Cache-Control', 'no-cache').json(tiles.tileJson(match[1], `${req.protocol}://${req.get('host')}`));
	});

	router.get('/tiles/:layer/:z/:x/:file', async (req: Request, res: Response, next) => {
		try {
			const layer = String(req.params.layer);
			if (!tiles.isTileLayer(layer)) return badRequest(res, unknownLayer(layer));
			const file = /^(\d+)\.pbf$/.exec(String(req.params.file));
			const [z, x] = [String(req.params.z), String(req.params.x)];
			if (!file || !/^\d+$/.test(z) || !/^\d+$/.test(x)) {
				return badRequest(res, 'expected /tiles/{layer}/{z}/{x}/{y}.pbf with whole numbers z, x, y');
			}
			const [zn, xn, yn] = [Number(z), Number(x), Number(file[1])];
			const problem = tiles.checkTile(zn, xn, yn);
			if (problem) return badRequest(res, problem);

			const db = await appDatabase();
			const scope = await scopeFor(db.knex, await requestUser(db.knex, req));
			// The same URL shows different features to different territories: the ETag says whose.
			const etag = `"${layer}-${zn}-${xn}-${yn}-v${await dataVersion(db)}-${scopeKey(scope)}"`;
			res.set({ ETag: etag, 'Cache-Control': scope.kind === 'all' ? 'no-cache' : 'private, no-cache', Vary: 'Cookie' });
			if (req.fresh) return res.status(304).end();
			const body = await tiles.render(db, layer, zn, xn, yn, undefined, scope);
			if (body.length === 0) return res.status(204).end();
			res.status(200).type(TILE_CONTENT_TYPE).send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
		} catch (error) {
			next(error);
		}
	});
	return router;
}

function scopeKey(scope: Scope): string {
	if (scope.kind !== 'territory') return scope.kind;
	return createHash('sha1').update(scope.geojson ?? '').digest('hex').slice(0, 12);
}

function unknownLayer(name: string): string {
	return `unknown layer '${name}'; known: ${tiles.TILE_LAYER_NAMES.join(', ')}`;
}
