/**
 * Tiles packed for offline use (issue 12): one PMTiles v3 archive holding, for every z/x/y it
 * lists, exactly what /tiles would send one account for each chosen layer, concatenated in
 * the order the layers were asked for (MVT layers are protobuf messages of one repeated
 * field, so concatenated tiles are one valid multi-layer tile). An intranet without this
 * server, or a phone with no network, opens the file as the map's source.
 *
 * Whose view: the account named (its territory from territory.ts, exactly as /tiles filters
 * it, never more), or, when none is named, the full view of a county admin. The archive's
 * metadata records the account and its territory's key, which is what offline-tiles.ts
 * checks before it serves the file to anyone.
 */
import { gzipSync } from 'node:zlib';
import type { Database } from '../platform/db.js';
import type { User } from '../accounts/user.js';
import { render, tileJson, TILE_LAYERS, MAX_ZOOM, type TileLayerName } from '../tiles/tiles.js';
import { scopeFor, scopeKey, type Scope } from '../ownership/territory.js';
import { Compression, TileType, writeArchive, type ArchiveTile } from '../../geo/pmtiles-writer.js';

export type Bbox = [number, number, number, number];

export interface ExportOptions {
	layers: TileLayerName[];
	minzoom: number;
	maxzoom: number;
	/** [west, south, east, north]; default: the county's extent */
	bbox?: Bbox;
	/** the account whose view is exported; null: the full view */
	username: string | null;
	/** how many tiles render at once (statements in flight) */
	concurrency?: number;
	onProgress?: (line: string) => void;
}

/** What metadata.export of an archive says: who it was made for, and when. */
export interface ExportRecord {
	/** the account named with --as, or null for the full view */
	account: string | null;
	role: string;
	/** territory.ts scopeKey of that account's view when exported: 'all' or a territory digest */
	scope_key: string;
	exported_at: string;
	layers: TileLayerName[];
	bbox: Bbox;
	minzoom: number;
	maxzoom: number;
}

export interface ExportResult {
	archive: Uint8Array;
	record: ExportRecord;
	/** tiles in the archive (with content) and tiles rendered to find them */
	tiles: number;
	rendered: number;
	/** rendered layer tiles: one statement each (none below a layer's minimum zoom) */
	queries: number;
}

/** Why an export cannot start: bad options or an unknown account. The CLI prints it and exits 2. */
export class ExportError extends Error {}

/**
 * Same attribution as the map (i18n's countyAttribution) plus what README says of the
 * rest: the areas, people and cases are a generated sample.
 */
export const ATTRIBUTION = 'County outline: Vonng/adcode (CC BY 4.0); names: 中国城市报 2022-07-18; other geometry generated (sample)';

/** The account to export for, by username; a disabled or unknown one is refused. */
export async function accountFor(db: Database, username: string): Promise<User> {
	const user = await db.knex('users').where({ username, disabled: false }).first('id', 'username', 'role', 'person_id', 'department_id');
	if (!user) throw new ExportError(`no enabled account named '${username}'`);
	return user as User;
}

/** The county's extent, [w, s, e, n]. */
export async function countyBbox(db: Database): Promise<Bbox> {
	const { rows } = await db.knex.raw(
		`SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom) AS e FROM county) x`
	);
	const r = rows[0];
	if (!r || r.w === null) throw new ExportError('the database has no county outline; give --bbox');
	return [Number(r.w), Number(r.s), Number(r.e), Number(r.n)];
}

/** Web Mercator's latitude limit: tiles end there. */
const MAX_LAT = 85.0511287798;

/** The x and y range of tiles at zoom z that a bbox touches (slippy-map formulas). */
export function tileRange(bbox: Bbox, z: number): { x0: number; x1: number; y0: number; y1: number } {
	const n = 2 ** z;
	const clampLat = (lat: number) => Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
	const tx = (lng: number) => Math.min(n - 1, Math.max(0, Math.floor(((lng + 180) / 360) * n)));
	const ty = (lat: number) => {
		const r = (clampLat(lat) * Math.PI) / 180;
		return Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)));
	};
	return { x0: tx(bbox[0]), x1: tx(bbox[2]), y0: ty(bbox[3]), y1: ty(bbox[1]) };
}

/** Checks the options a caller (the CLI) gives; an ExportError naming the bad one. */
export function checkOptions(o: ExportOptions): void {
	if (o.layers.length === 0) throw new ExportError('--layers names no layer');
	const unknown = o.layers.filter((l) => !Object.hasOwn(TILE_LAYERS, l));
	if (unknown.length) throw new ExportError(`--layers: unknown layer ${unknown.join(', ')}; known: ${Object.keys(TILE_LAYERS).join(', ')}`);
	if (new Set(o.layers).size !== o.layers.length) throw new ExportError('--layers names a layer twice');
	for (const [name, z] of [['--minzoom', o.minzoom], ['--maxzoom', o.maxzoom]] as const) {
		if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) throw new ExportError(`${name} must be a whole number 0–${MAX_ZOOM}`);
	}
	if (o.minzoom > o.maxzoom) throw new ExportError('--minzoom is above --maxzoom');
	if (o.bbox) {
		const [w, s, e, n] = o.bbox;
		if (!o.bbox.every(Number.isFinite)) throw new ExportError('--bbox must be four numbers w,s,e,n');
		if (w < -180 || e > 180 || s < -90 || n > 90) throw new ExportError('--bbox is outside −180…180, −90…90');
		if (w >= e || s >= n) throw new ExportError('--bbox must have west < east and south < north');
	}
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) await work(items[next++]);
	});
	await Promise.all(runners);
}

interface Candidate {
	z: number;
	x: number;
	y: number;
	/** the layers that may have content here: each parent decides for its children */
	layers: TileLayerName[];
}

/**
 * Every tile from minzoom to maxzoom within the bbox whose concatenated layers are not
 * empty. A tile is only rendered when its parent could have led to content: a layer's
 * features are the same rows at every zoom from its minimum up, so a layer empty in a tile
 * (at or above its minimum zoom) is empty in all the tile's children too, and only a layer
 * still below its minimum zoom has to be tried everywhere. Without this, z16 over the
 * county is over 10^5 tiles, nearly all empty.
 */
export async function exportArchive(db: Database, options: ExportOptions): Promise<ExportResult> {
	checkOptions(options);
	const log = options.onProgress ?? (() => {});
	const user = options.username === null ? null : await accountFor(db, options.username);
	// No account named: a county admin's view, everything (the CLI warns).
	const scope: Scope = user ? await scopeFor(db.knex, user) : { kind: 'all' };
	const bbox = options.bbox ?? (await countyBbox(db));
	const { layers, minzoom, maxzoom } = options;
	const concurrency = options.concurrency ?? (db.backend === 'postgis' ? 4 : 1);

	const found: ArchiveTile[] = [];
	let rendered = 0;
	let queries = 0;
	const started = Date.now();
	const { x0, x1, y0, y1 } = tileRange(bbox, minzoom);
	let level: Candidate[] = [];
	for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) level.push({ z: minzoom, x, y, layers });

	for (let z = minzoom; z <= maxzoom && level.length; z++) {
		const children: Candidate[] = [];
		const range = z < maxzoom ? tileRange(bbox, z + 1) : null;
		let withContent = 0;
		await eachLimited(level, concurrency, async (tile) => {
			const parts = new Map<TileLayerName, Uint8Array>();
			for (const name of tile.layers) {
				if (z >= TILE_LAYERS[name].minzoom) queries++;
				parts.set(name, await render(db, name, z, tile.x, tile.y, undefined, scope));
			}
			rendered++;
			const content = layers.flatMap((name) => (parts.get(name)?.byteLength ? [parts.get(name)!] : []));
			if (content.length) {
				found.push({ z, x: tile.x, y: tile.y, data: new Uint8Array(gzipSync(Buffer.concat(content))) });
				withContent++;
			}
			if (!range) return;
			const alive = tile.layers.filter((name) => z < TILE_LAYERS[name].minzoom || parts.get(name)!.byteLength > 0);
			if (!alive.length) return;
			for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
				const cx = tile.x * 2 + dx;
				const cy = tile.y * 2 + dy;
				if (cx >= range.x0 && cx <= range.x1 && cy >= range.y0 && cy <= range.y1) children.push({ z: z + 1, x: cx, y: cy, layers: alive });
			}
		});
		log(`z${z}: ${level.length} tiles rendered, ${withContent} with features (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		level = children;
	}
	if (!found.length) throw new ExportError('no tile within the bbox and zooms has a feature for this account; nothing to write');

	const record: ExportRecord = {
		account: user?.username ?? null,
		role: user?.role ?? 'admin',
		scope_key: scopeKey(scope),
		exported_at: new Date().toISOString(),
		layers,
		bbox,
		minzoom,
		maxzoom
	};
	const archive = writeArchive(found, {
		tileType: TileType.mvt,
		tileCompression: Compression.gzip,
		minZoom: minzoom,
		maxZoom: maxzoom,
		bounds: bbox,
		center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2, Math.min(maxzoom, Math.max(minzoom, 13))],
		metadata: archiveMetadata(record)
	});
	return { archive, record, tiles: found.length, rendered, queries };
}

/** The archive's JSON metadata (PMTiles §5): TileJSON's vector_layers per layer, attribution, and who it is for. */
export function archiveMetadata(record: ExportRecord): Record<string, unknown> {
	return {
		name: '网格治理一张图 offline tiles',
		description: `Layers ${record.layers.join(', ')} at z${record.minzoom}–${record.maxzoom} as ${record.account ?? 'the full view'} sees them`,
		format: 'pbf',
		type: 'overlay',
		attribution: ATTRIBUTION,
		vector_layers: record.layers.map((name) => {
			const [layer] = tileJson(name, '').vector_layers;
			return { ...layer, minzoom: Math.max(layer.minzoom, record.minzoom), maxzoom: record.maxzoom };
		}),
		export: record
	};
}
