/**
 * The HTTP side of vector tiles: a tile by layer and z/x/y, cached per layer, data version,
 * territory and z/x/y (tiles/tile-cache.ts) and answered 304 when its ETag still holds; and a
 * layer's TileJSON. Rendering is the domain's (tiles/tiles.ts).
 */
import { gzipSync } from 'node:zlib';
import { TILE_LAYERS, TILE_LAYER_NAMES, checkTile, render, tileJson, type TileLayer } from '../tiles/tiles.js';
import { layerVersions, type LayerVersions } from '../tiles/layer-versions.js';
import { tileCache } from '../tiles/tile-cache.js';
import { scopeKey } from '../ownership/territory.js';
import { fail } from '../platform/errors.js';
import { json, type Call, type Reply } from './endpoint.js';
import { pathOneOf } from './params.js';
import { publicOrigin } from './public-origin.js';

export const TILE_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/** Whether If-None-Match names this ETag (weakly, or `*`). */
function notModified(header: string | null, etag: string): boolean {
	if (!header) return false;
	const bare = etag.replace(/^W\//, '');
	return header.split(',').some((t) => {
		const tag = t.trim();
		return tag === '*' || tag.replace(/^W\//, '') === bare;
	});
}

/** Tiles smaller than this go uncompressed: starting a gzip stream costs more CPU than the few hundred bytes it saves. */
export const TILE_GZIP_FROM = 1024;

/**
 * Compressed once, when rendered: a cached tile costs no compression again. Level 1 keeps
 * most of the saving for a fraction of level 6's CPU; synchronously, since a tile is small
 * and handing it to the thread pool costs more CPU than compressing it here.
 */
function gzipTile(bytes: Uint8Array): Uint8Array {
	if (bytes.length < TILE_GZIP_FROM) return bytes;
	const zipped = gzipSync(bytes, { level: 1 });
	return new Uint8Array(zipped.buffer, zipped.byteOffset, zipped.byteLength);
}

/** Whether cached tile bytes are gzip (its magic number; an MVT starts with a layer's field tag, 0x1a). */
const isGzip = (bytes: Uint8Array) => bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** z, x and y of a tile path: whole numbers within the zoom's range, else a 400 naming them. */
function tileParams(params: Record<string, string>): [number, number, number] {
	const { z, x, y } = params;
	if (![z, x, y].every((v) => /^\d{1,8}$/.test(v ?? ''))) fail(400, 'expected /tiles/{layer}/{z}/{x}/{y}.pbf with whole numbers z, x, y');
	const tile: [number, number, number] = [Number(z), Number(x), Number(y)];
	const problem = checkTile(...tile);
	if (problem) fail(400, problem);
	return tile;
}

/**
 * GET /tiles/{layer}/{z}/{x}/{y}.pbf. Cached per layer, data version, territory and z/x/y
 * (tile-cache.ts); the ETag names the version and territory, so a revalidation that finds
 * nothing changed is a 304 without a query. The same URL shows different features to
 * different territories: hence `Vary: Cookie, Authorization` (a session, or a personal access
 * token: access-tokens.ts) and `private` for a restricted answer.
 */
export async function getTile(call: Call): Promise<Reply> {
	const name = pathOneOf(call.params, 'layer', TILE_LAYER_NAMES, 'layer');
	const [z, x, y] = tileParams(call.params);
	const layer: TileLayer = TILE_LAYERS[name];
	const territory = layer.territory ? scopeKey(call.scope) : 'public';
	const versions = await layerVersions(call.db);
	pruneOnChange(versions);
	const version = versions.current(name);
	const headers: Record<string, string> = {
		'Cache-Control': territory === 'public' || territory === 'all' ? 'no-cache' : 'private, no-cache',
		Vary: 'Cookie, Authorization'
	};
	const cache = tileCache();
	const key = { layer: name, version: version ?? 0, territory, z, x, y };
	if (version !== null) {
		headers.ETag = `W/"${name}-v${version}-${territory}"`;
		if (notModified(call.header('if-none-match'), headers.ETag)) return { status: 304, headers };
		const hit = await cache.get(key);
		if (hit) return tileReply(hit, headers, 'hit');
	}
	const mvt = await render(call.db, name, z, x, y, undefined, call.scope);
	const bytes = gzipTile(mvt);
	// A version unknown while rendering (the database's notices are down) is not cached.
	if (version !== null) cache.set(key, bytes);
	return tileReply(bytes, headers, 'miss');
}

/** Once per process: when a layer's version moves, its older tiles leave the disk cache. */
const pruning = new WeakSet<LayerVersions>();
function pruneOnChange(versions: LayerVersions): void {
	if (pruning.has(versions)) return;
	pruning.add(versions);
	versions.onChange((layer, version) => void tileCache().prune(layer, version).catch(() => {}));
}

function tileReply(bytes: Uint8Array, headers: Record<string, string>, cache: 'hit' | 'miss'): Reply {
	if (bytes.length === 0) return { status: 204, headers: { ...headers, 'X-Tile-Cache': cache } };
	return { status: 200, headers: { ...headers, 'Content-Type': TILE_CONTENT_TYPE, 'X-Tile-Cache': cache }, body: bytes, gzipped: isGzip(bytes) };
}

/** GET /tiles/{layer}.json */
export async function getTileJson(call: Call): Promise<Reply> {
	const name = pathOneOf(call.params, 'layer', TILE_LAYER_NAMES, 'layer');
	return json(tileJson(name, publicOrigin(call.origin)), 200, { 'Cache-Control': 'no-cache' });
}
