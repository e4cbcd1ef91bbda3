/**
 * The PMTiles writer against the `pmtiles` package's reader (the one the map uses): header
 * fields, tiles back byte for byte, run lengths and shared contents in the directory, leaf
 * directories when the root is forced small, and the metadata.
 */
import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PMTiles, SharedPromiseCache, zxyToTileId, type Entry, type RangeResponse, type Source } from 'pmtiles';
import { Compression, TileType, encodeDirectory, writeArchive, type ArchiveTile } from '../../src/lib/geo/pmtiles-writer.js';

/** The archive's bytes as a reader's source, counting the reads. */
class BufferSource implements Source {
	reads = 0;
	constructor(private bytes: Uint8Array) {}
	getKey() {
		return 'memory';
	}
	async getBytes(offset: number, length: number): Promise<RangeResponse> {
		this.reads++;
		const slice = this.bytes.slice(offset, offset + length);
		return { data: slice.buffer };
	}
}

const gz = (text: string) => new Uint8Array(gzipSync(Buffer.from(text)));
const text = (data: ArrayBuffer) => Buffer.from(data).toString();

const METADATA = { name: 'test', format: 'pbf', vector_layers: [{ id: 'grids', fields: { code: 'code' } }], attribution: '合江县' };

function open(bytes: Uint8Array) {
	const source = new BufferSource(bytes);
	return { source, archive: new PMTiles(source) };
}

/** The tile entries, through the leaves when there are any (the package's own directory decoder). */
async function allEntries(bytes: Uint8Array): Promise<{ root: Entry[]; tiles: Entry[] }> {
	const { source, archive } = open(bytes);
	const header = await archive.getHeader();
	const cache = new SharedPromiseCache();
	const root = await cache.getDirectory(source, header.rootDirectoryOffset, header.rootDirectoryLength, header);
	const tiles: Entry[] = [];
	for (const e of root) {
		if (e.runLength > 0) tiles.push(e);
		else tiles.push(...(await cache.getDirectory(source, header.leafDirectoryOffset + e.offset, e.length, header)));
	}
	return { root, tiles };
}

describe('writeArchive', () => {
	const tiles: ArchiveTile[] = [
		{ z: 10, x: 813, y: 425, data: gz('a') },
		// 11/1626/850 and its Hilbert neighbour share content: one entry, run length 2
		{ z: 11, x: 1626, y: 850, data: gz('same') },
		{ z: 11, x: 1626, y: 851, data: gz('same') },
		{ z: 11, x: 1627, y: 851, data: gz('b') },
		// the same content again, not next to the others: a second entry pointing at the same bytes
		{ z: 12, x: 3253, y: 1701, data: gz('same') }
	];
	const bytes = writeArchive(tiles, {
		tileType: TileType.mvt,
		tileCompression: Compression.gzip,
		minZoom: 10,
		maxZoom: 12,
		bounds: [105.6, 28.6, 106.1, 29.1],
		center: [105.83, 28.81, 11],
		metadata: METADATA
	});

	it('has the header the options say', async () => {
		const header = await open(bytes).archive.getHeader();
		expect(header).toMatchObject({
			specVersion: 3,
			rootDirectoryOffset: 127,
			clustered: true,
			internalCompression: Compression.gzip,
			tileCompression: Compression.gzip,
			tileType: TileType.mvt,
			minZoom: 10,
			maxZoom: 12,
			minLon: 105.6,
			minLat: 28.6,
			maxLon: 106.1,
			maxLat: 29.1,
			centerZoom: 11,
			centerLon: 105.83,
			centerLat: 28.81,
			numAddressedTiles: 5,
			numTileEntries: 4,
			numTileContents: 3,
			leafDirectoryLength: 0
		});
		expect(header.tileDataOffset + header.tileDataLength!).toBe(bytes.byteLength);
	});

	it('gives every tile back, decompressed, and nothing for a tile it lacks', async () => {
		const { archive } = open(bytes);
		for (const t of tiles) {
			const got = await archive.getZxy(t.z, t.x, t.y);
			expect(text(got!.data), `${t.z}/${t.x}/${t.y}`).toBe(gunzipSync(t.data).toString());
		}
		expect(await archive.getZxy(11, 1627, 850)).toBeUndefined();
		expect(await archive.getZxy(9, 406, 212)).toBeUndefined();
	});

	it('stores identical contents once and runs consecutive ones', async () => {
		const { root, tiles: entries } = await allEntries(bytes);
		expect(root).toEqual(entries);
		const ids = (z: number, x: number, y: number) => zxyToTileId(z, x, y);
		const run = entries.find((e) => e.tileId === Math.min(ids(11, 1626, 850), ids(11, 1626, 851)))!;
		expect(run.runLength).toBe(2);
		expect(Math.abs(ids(11, 1626, 850) - ids(11, 1626, 851))).toBe(1);
		const again = entries.find((e) => e.tileId === ids(12, 3253, 1701))!;
		expect([again.offset, again.length]).toEqual([run.offset, run.length]);
		// Clustered: TileID order, the first at offset 0, each new content right after the last.
		expect(entries.map((e) => e.tileId)).toEqual([...entries.map((e) => e.tileId)].sort((a, b) => a - b));
		expect(entries[0].offset).toBe(0);
	});

	it('carries the metadata', async () => {
		expect(await open(bytes).archive.getMetadata()).toEqual(METADATA);
	});

	it('moves entries into leaf directories when the root would not fit', async () => {
		// 2,000 distinct tiles at z12 of varied lengths (a directory of equal ones gzips to almost
		// nothing); a 200-byte root forces leaves of 100 entries or more.
		const many: ArchiveTile[] = [];
		for (let x = 0; x < 50; x++) for (let y = 0; y < 40; y++) many.push({ z: 12, x: 3200 + x, y: 1680 + y, data: gz(`${x},${y}`.repeat(1 + ((x * 7919 + y * 104729) % 97))) });
		const archiveBytes = writeArchive(many, {
			tileType: TileType.mvt,
			tileCompression: Compression.gzip,
			minZoom: 12,
			maxZoom: 12,
			bounds: [100, 25, 110, 30],
			metadata: METADATA,
			maxRootBytes: 200,
			leafEntries: 100
		});
		const { archive } = open(archiveBytes);
		const header = await archive.getHeader();
		expect(header.leafDirectoryLength).toBeGreaterThan(0);
		expect(header.rootDirectoryLength).toBeLessThanOrEqual(200);
		const { root, tiles: entries } = await allEntries(archiveBytes);
		expect(root.every((e) => e.runLength === 0)).toBe(true);
		expect(root.length).toBeGreaterThan(1);
		expect(entries.length).toBe(2000);
		// Leaves start at the TileID they list first, in ascending order.
		expect(root.map((e) => e.tileId)).toEqual([...root.map((e) => e.tileId)].sort((a, b) => a - b));
		for (const t of [many[0], many[777], many[1999]]) {
			expect(text((await archive.getZxy(t.z, t.x, t.y))!.data)).toBe(gunzipSync(t.data).toString());
		}
	});

	it('refuses what the spec does not allow', () => {
		const base = { tileType: TileType.mvt, tileCompression: Compression.gzip, minZoom: 0, maxZoom: 1, bounds: [0, 0, 1, 1] as [number, number, number, number], metadata: {} };
		expect(() => writeArchive([], base)).toThrow(/at least one tile/);
		expect(() => writeArchive([{ z: 0, x: 0, y: 0, data: new Uint8Array(0) }], base)).toThrow(/empty/);
		expect(() => writeArchive([{ z: 1, x: 0, y: 0, data: gz('a') }, { z: 1, x: 0, y: 0, data: gz('b') }], base)).toThrow(/twice/);
		expect(() => writeArchive([{ z: 0, x: 0, y: 0, data: gz('a') }], { ...base, minZoom: 2 })).toThrow(/zoom range/);
	});
});

describe('encodeDirectory', () => {
	it('writes the spec’s example entries as varints, offsets + 1 or 0 when contiguous', () => {
		const bytes = encodeDirectory([
			{ tileId: 5, offset: 0, length: 42, runLength: 1 },
			{ tileId: 42, offset: 42, length: 300, runLength: 3 },
			{ tileId: 69, offset: 0, length: 42, runLength: 1 }
		]);
		// count 3 | ids 5, 37, 27 | runs 1, 3, 1 | lengths 42, 300 (0xac 0x02), 42 | offsets 1, 0, 1
		expect([...bytes]).toEqual([3, 5, 37, 27, 1, 3, 1, 42, 0xac, 0x02, 42, 1, 0, 1]);
	});

	it('encodes TileIDs beyond 32 bits', () => {
		const id = zxyToTileId(20, 1_000_000, 500_000);
		expect(id).toBeGreaterThan(2 ** 32);
		const bytes = encodeDirectory([{ tileId: id, offset: 0, length: 1, runLength: 1 }]);
		let value = 0;
		let scale = 1;
		for (let i = 1; ; i++) {
			value += (bytes[i] & 0x7f) * scale;
			scale *= 128;
			if (bytes[i] < 0x80) break;
		}
		expect(value).toBe(id);
	});
});
