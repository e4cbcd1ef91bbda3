/**
 * /tiles/{layer}/{z}/{x}/{y}.pbf and /tiles/{layer}.json, hot routes (hot.ts) rather than
 * SvelteKit's, so compression, ETag and caching headers are ours to set. The ETag carries the
 * data version (the newest audit row: every write leaves one), so a revalidation that finds
 * nothing changed costs one tiny query and no tile rendering.
 */
import type { IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import { error } from '@sveltejs/kit';
import * as tiles from '../lib/server/tiles.js';
import type { Database } from '../lib/server/db.js';
import type { Scope } from '../lib/server/territory.js';
import { json, type Context, type Reply } from './reply.js';

export const TILE_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

let version: { value: string; at: number } | null = null;
/** The data version, re-read at most once a second. */
async function dataVersion(db: Database): Promise<string> {
	if (version && Date.now() - version.at < 1000) return version.value;
	const { rows } = await db.knex.raw<{ rows: { v: string | number }[] }>('SELECT coalesce(max(id), 0) AS v FROM audit_log');
	version = { value: String(rows[0].v), at: Date.now() };
	return version.value;
}

function layerOf(name: string): tiles.TileLayerName {
	if (!tiles.isTileLayer(name)) error(400, `unknown layer '${name}'; known: ${tiles.TILE_LAYER_NAMES.join(', ')}`);
	return name;
}

/** Whether If-None-Match names this ETag (weak or strong, or `*`). */
function notModified(req: IncomingMessage, etag: string): boolean {
	const header = req.headers['if-none-match'];
	if (!header) return false;
	return header
		.split(',')
		.map((t) => t.trim().replace(/^W\//, ''))
		.some((t) => t === etag || t === '*');
}

/** GET /tiles/{layer}.json: TileJSON with absolute tile URLs for this host. */
export async function tileJsonOf({ params }: Context, req: IncomingMessage): Promise<Reply> {
	const match = /^(\w+)\.json$/.exec(params.file);
	if (!match) error(400, 'expected /tiles/{layer}.json or /tiles/{layer}/{z}/{x}/{y}.pbf');
	const layer = layerOf(match[1]);
	const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
	return json(tiles.tileJson(layer, `${proto}://${req.headers.host ?? 'localhost'}`), 200, { 'Cache-Control': 'no-cache' });
}

/** GET /tiles/{layer}/{z}/{x}/{y}.pbf */
export async function tile({ db, scope, params }: Context, req: IncomingMessage): Promise<Reply> {
	const layer = layerOf(params.layer);
	const file = /^(\d+)\.pbf$/.exec(params.file);
	if (!file || !/^\d+$/.test(params.z) || !/^\d+$/.test(params.x)) {
		error(400, 'expected /tiles/{layer}/{z}/{x}/{y}.pbf with whole numbers z, x, y');
	}
	const [z, x, y] = [Number(params.z), Number(params.x), Number(file[1])];
	const problem = tiles.checkTile(z, x, y);
	if (problem) error(400, problem);

	// The same URL shows different features to different territories: the ETag says whose.
	const etag = `"${layer}-${z}-${x}-${y}-v${await dataVersion(db)}-${scopeKey(scope)}"`;
	const headers = { ETag: etag, 'Cache-Control': scope.kind === 'all' ? 'no-cache' : 'private, no-cache', Vary: 'Cookie' };
	if (notModified(req, etag)) return { status: 304, headers };
	const body = await tiles.render(db, layer, z, x, y, undefined, scope);
	if (body.length === 0) return { status: 204, headers };
	return {
		status: 200,
		headers: { ...headers, 'Content-Type': TILE_CONTENT_TYPE },
		body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
		// Level 1: tiles are rendered per request on a small machine, and level 1 keeps most
		// of the saving for a fraction of level 6's CPU.
		gzipLevel: 1
	};
}

function scopeKey(scope: Scope): string {
	if (scope.kind !== 'territory') return scope.kind;
	return createHash('sha1').update(scope.geojson ?? '').digest('hex').slice(0, 12);
}
