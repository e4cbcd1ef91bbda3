/**
 * A PMTiles version 3 archive writer, written from the specification
 * (github.com/protomaps/PMTiles, spec/v3/spec.md). Pure: tiles and metadata in, the archive's
 * bytes out; nothing is read or written elsewhere. Reading is the `pmtiles` package's job
 * (the map's protocol, the tests), so this module is tested against that reader.
 *
 * Layout, in the spec's recommended order: the 127-byte header, the root directory, the JSON
 * metadata, the leaf directories, the tile data. Tiles are clustered (their data in TileID
 * order), identical contents are stored once, and consecutive TileIDs with the same content
 * become one entry with a run length. The root directory must fit in the first 16,384 bytes;
 * when it would not, entries move into leaf directories, one level deep as the spec asks.
 */
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { zxyToTileId } from 'pmtiles';

/** Header values of the spec's enums (§3.2, §3.3) that this writer uses. */
export const Compression = { none: 1, gzip: 2 } as const;
export const TileType = { unknown: 0, mvt: 1, png: 2, jpeg: 3, webp: 4, avif: 5, mlt: 6 } as const;

const HEADER_BYTES = 127;
/** §4: the header plus the compressed root directory must fit in 16 KiB. */
export const MAX_ROOT_BYTES = 16_384 - HEADER_BYTES;

export interface ArchiveTile {
	z: number;
	x: number;
	y: number;
	/** the tile's bytes as stored: already compressed as `tileCompression` says */
	data: Uint8Array;
}

export interface ArchiveOptions {
	tileType: number;
	/** how each tile's bytes were compressed by the caller (Compression) */
	tileCompression: number;
	/** how directories and metadata are compressed here: gzip (default) or none */
	internalCompression?: typeof Compression.gzip | typeof Compression.none;
	minZoom: number;
	maxZoom: number;
	/** [west, south, east, north] in degrees */
	bounds: [number, number, number, number];
	/** [lng, lat, zoom]; defaults to the middle of the bounds at minZoom */
	center?: [number, number, number];
	/** the JSON metadata (§5); an MVT archive must give `vector_layers` */
	metadata: Record<string, unknown>;
	/** for tests: a smaller limit forces leaf directories */
	maxRootBytes?: number;
	/** entries per leaf directory to try first; doubled until the root fits (default 4096) */
	leafEntries?: number;
}

export interface Entry {
	tileId: number;
	offset: number;
	length: number;
	/** 0 marks a leaf directory, else how many consecutive TileIDs share this content */
	runLength: number;
}

/** Appends `value` (a whole number below 2^53) as a protobuf varint. Arithmetic, not bit operators: those stop at 32 bits. */
function pushVarint(out: number[], value: number): void {
	if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value} as a varint`);
	while (value >= 0x80) {
		out.push((value % 0x80) | 0x80);
		value = Math.floor(value / 0x80);
	}
	out.push(value);
}

/** §4.2: entry count, delta TileIDs, run lengths, lengths, offsets (0 when contiguous with the entry before). */
export function encodeDirectory(entries: Entry[]): Uint8Array {
	if (entries.length === 0) throw new RangeError('a directory needs at least one entry');
	const out: number[] = [];
	pushVarint(out, entries.length);
	let lastId = 0;
	for (const e of entries) {
		pushVarint(out, e.tileId - lastId);
		lastId = e.tileId;
	}
	for (const e of entries) pushVarint(out, e.runLength);
	for (const e of entries) {
		if (e.length <= 0) throw new RangeError(`entry ${e.tileId} has length ${e.length}; lengths must be above 0`);
		pushVarint(out, e.length);
	}
	let next = 0;
	entries.forEach((e, i) => {
		pushVarint(out, i > 0 && e.offset === next ? 0 : e.offset + 1);
		next = e.offset + e.length;
	});
	return Uint8Array.from(out);
}

function compress(bytes: Uint8Array, compression: number): Uint8Array {
	if (compression === Compression.none) return bytes;
	const z = gzipSync(bytes, { level: 9 });
	return new Uint8Array(z.buffer, z.byteOffset, z.byteLength);
}

/** The tile entries and the deduplicated tile data, clustered by TileID. */
function tileSection(tiles: ArchiveTile[]): { entries: Entry[]; data: Uint8Array[]; dataLength: number; addressed: number; contents: number } {
	const byId = tiles
		.map((t) => {
			if (t.data.byteLength === 0) throw new RangeError(`tile ${t.z}/${t.x}/${t.y} is empty; leave empty tiles out`);
			return { tileId: zxyToTileId(t.z, t.x, t.y), data: t.data };
		})
		.sort((a, b) => a.tileId - b.tileId);
	const entries: Entry[] = [];
	const data: Uint8Array[] = [];
	const seen = new Map<string, { offset: number; length: number }>();
	let dataLength = 0;
	let lastHash = '';
	for (let i = 0; i < byId.length; i++) {
		const { tileId, data: bytes } = byId[i];
		if (i > 0 && tileId === byId[i - 1].tileId) throw new RangeError(`tile id ${tileId} is given twice`);
		const hash = createHash('sha256').update(bytes).digest('base64');
		const last = entries.at(-1);
		// Same content as the tile right before it: the previous entry covers this one too.
		if (last && hash === lastHash && last.tileId + last.runLength === tileId) {
			last.runLength++;
			continue;
		}
		let stored = seen.get(hash);
		if (!stored) {
			stored = { offset: dataLength, length: bytes.byteLength };
			seen.set(hash, stored);
			data.push(bytes);
			dataLength += bytes.byteLength;
		}
		entries.push({ tileId, offset: stored.offset, length: stored.length, runLength: 1 });
		lastHash = hash;
	}
	return { entries, data, dataLength, addressed: byId.length, contents: data.length };
}

/**
 * The root directory, and leaf directories when the root would not fit: leaves of
 * `leafEntries` entries each, doubled until the root listing them fits.
 */
function directories(entries: Entry[], compression: number, maxRoot: number, leafEntries: number): { root: Uint8Array; leaves: Uint8Array } {
	const root = compress(encodeDirectory(entries), compression);
	if (root.byteLength <= maxRoot) return { root, leaves: new Uint8Array(0) };
	for (let size = leafEntries; ; size *= 2) {
		const rootEntries: Entry[] = [];
		const leafBytes: Uint8Array[] = [];
		let offset = 0;
		for (let i = 0; i < entries.length; i += size) {
			const leaf = compress(encodeDirectory(entries.slice(i, i + size)), compression);
			rootEntries.push({ tileId: entries[i].tileId, offset, length: leaf.byteLength, runLength: 0 });
			leafBytes.push(leaf);
			offset += leaf.byteLength;
		}
		const candidate = compress(encodeDirectory(rootEntries), compression);
		if (candidate.byteLength <= maxRoot) return { root: candidate, leaves: concat(leafBytes, offset) };
		if (rootEntries.length === 1) throw new RangeError(`the root directory cannot be made to fit in ${maxRoot} bytes`);
	}
}

function concat(parts: Uint8Array[], length = parts.reduce((n, p) => n + p.byteLength, 0)): Uint8Array {
	const out = new Uint8Array(length);
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.byteLength;
	}
	return out;
}

/** §3.4: degrees × 10^7 as a little-endian int32. */
function setPosition(view: DataView, at: number, lng: number, lat: number): void {
	view.setInt32(at, Math.round(lng * 1e7), true);
	view.setInt32(at + 4, Math.round(lat * 1e7), true);
}

/** The whole archive. Tiles may come in any order; empty tiles must be left out (a missing tile is an empty one to readers). */
export function writeArchive(tiles: ArchiveTile[], options: ArchiveOptions): Uint8Array {
	const ic = options.internalCompression ?? Compression.gzip;
	if (tiles.length === 0) throw new RangeError('an archive needs at least one tile');
	if (!(options.minZoom >= 0 && options.minZoom <= options.maxZoom && options.maxZoom <= 31)) {
		throw new RangeError(`zoom range ${options.minZoom}–${options.maxZoom} is not valid`);
	}
	const section = tileSection(tiles);
	const { root, leaves } = directories(section.entries, ic, options.maxRootBytes ?? MAX_ROOT_BYTES, options.leafEntries ?? 4096);
	const metadata = compress(new TextEncoder().encode(JSON.stringify(options.metadata)), ic);

	const rootOffset = HEADER_BYTES;
	const metadataOffset = rootOffset + root.byteLength;
	const leavesOffset = metadataOffset + metadata.byteLength;
	const dataOffset = leavesOffset + leaves.byteLength;

	const header = new Uint8Array(HEADER_BYTES);
	const view = new DataView(header.buffer);
	header.set(new TextEncoder().encode('PMTiles'), 0);
	header[7] = 3;
	const u64 = (at: number, v: number) => view.setBigUint64(at, BigInt(v), true);
	u64(8, rootOffset);
	u64(16, root.byteLength);
	u64(24, metadataOffset);
	u64(32, metadata.byteLength);
	u64(40, leavesOffset);
	u64(48, leaves.byteLength);
	u64(56, dataOffset);
	u64(64, section.dataLength);
	u64(72, section.addressed);
	u64(80, section.entries.length);
	u64(88, section.contents);
	header[96] = 1; // clustered
	header[97] = ic;
	header[98] = options.tileCompression;
	header[99] = options.tileType;
	header[100] = options.minZoom;
	header[101] = options.maxZoom;
	const [w, s, e, n] = options.bounds;
	setPosition(view, 102, w, s);
	setPosition(view, 110, e, n);
	const [cLng, cLat, cZoom] = options.center ?? [(w + e) / 2, (s + n) / 2, options.minZoom];
	header[118] = cZoom;
	setPosition(view, 119, cLng, cLat);

	return concat([header, root, metadata, leaves, ...section.data], dataOffset + section.dataLength);
}
