/**
 * PMTiles archives from `tiles:export` (tile-export.ts), kept in PMTILES_DIR (default
 * data/pmtiles) and served by GET /offline/{file}.pmtiles (http/offline-tiles.ts) with HTTP
 * range requests, which is how the `pmtiles` reader on the map fetches the header,
 * directories and tiles it needs.
 *
 * Who may fetch a file: an archive holds one account's view, so it goes to callers who see
 * at least that. Admins, planners and housing read everything, so any file; anyone else only
 * a file whose recorded territory key (metadata.export.scope_key, territory.ts scopeKey) is
 * their own territory's key today: the account it was made for, or another holding exactly
 * the same territory, who sees the same tiles on /tiles. When an account's territory changes
 * its old file is no longer theirs (it may show areas they no longer hold); export again.
 * A file without a record (copied in from elsewhere) is for the read-all roles only.
 * Signed out: 401. A file the caller may not read answers as a missing one, 404, as records
 * outside a territory do.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fail } from '../platform/errors.js';
import { scopeKey, type Scope } from '../ownership/territory.js';
import type { ExportRecord } from './tile-export.js';

/** Where archives are served from. */
export function pmtilesDir(): string {
	return path.resolve(process.env.PMTILES_DIR?.trim() || 'data/pmtiles');
}

/** A file name: letters, digits, '_', '-' and '.', not starting with '.'; no path, so nothing outside the folder. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/** What each file's metadata records, read once per file version (path, size, modification time). */
const records = new Map<string, { version: string; record: ExportRecord | null }>();

/** Reads metadata.export from the archive's header and metadata section; null when it has none or is not PMTiles v3. */
async function readRecord(file: string, size: number): Promise<ExportRecord | null> {
	const handle = await fs.open(file, 'r');
	try {
		const header = Buffer.alloc(127);
		if (size < 127) return null;
		await handle.read(header, 0, 127, 0);
		if (header.toString('latin1', 0, 7) !== 'PMTiles' || header[7] !== 3) return null;
		const offset = Number(header.readBigUInt64LE(24));
		const length = Number(header.readBigUInt64LE(32));
		// 16 MiB of metadata is far beyond anything tiles:export writes; refuse rather than allocate.
		if (length === 0 || length > 16 * 2 ** 20 || offset + length > size) return null;
		const raw = Buffer.alloc(length);
		await handle.read(raw, 0, length, offset);
		const compression = header[97];
		const text = compression === 2 ? gunzipSync(raw).toString('utf8') : compression === 1 ? raw.toString('utf8') : null;
		if (text === null) return null;
		const record = (JSON.parse(text) as { export?: ExportRecord }).export;
		return record && typeof record.scope_key === 'string' ? record : null;
	} catch {
		return null;
	} finally {
		await handle.close();
	}
}

async function recordOf(file: string, size: number, version: string): Promise<ExportRecord | null> {
	const hit = records.get(file);
	if (hit?.version === version) return hit.record;
	const record = await readRecord(file, size);
	if (records.size > 1000) records.clear();
	records.set(file, { version, record });
	return record;
}

/** Whether the caller sees at least what the file holds (see the module comment). */
function mayRead(scope: Scope, record: ExportRecord | null): boolean {
	if (scope.kind === 'all') return true;
	if (!record || scope.kind !== 'territory') return false;
	return record.scope_key === scopeKey(scope);
}

/** A 400 unless `name` is a file name of the folder (the pattern above). */
export function checkArchiveName(name: string): void {
	if (!FILE_NAME.test(name)) fail(400, `file must be a name of letters, digits, '_', '-' and '.' (not starting with '.'), up to 128 characters, then .pmtiles`);
}

export interface Archive {
	file: string;
	size: number;
	/** names the file's version: its size and modification time */
	etag: string;
}

/** The archive `name`.pmtiles when the caller may read it; a 404 when it is missing or not theirs (as records outside a territory are). */
export async function findArchive(scope: Scope, name: string): Promise<Archive> {
	const dir = pmtilesDir();
	const file = path.join(dir, `${name}.pmtiles`);
	// The pattern already keeps the path in the folder; this says so where it matters.
	if (path.dirname(file) !== dir) fail(400, 'file must name a file in the offline tiles folder');
	const notFound = () => fail(404, `no offline tiles '${name}.pmtiles'`);
	const stat = await fs.stat(file).catch(() => null);
	if (!stat?.isFile()) notFound();
	const size = stat!.size;
	const etag = `"${size.toString(36)}-${Math.floor(stat!.mtimeMs).toString(36)}"`;
	if (!mayRead(scope, await recordOf(file, size, etag))) notFound();
	return { file, size, etag };
}

/** Bytes `start` to `end` (inclusive) of an archive. */
export async function readArchive(archive: Archive, start: number, end: number): Promise<Buffer> {
	const body = Buffer.alloc(end - start + 1);
	if (body.byteLength > 0) {
		const handle = await fs.open(archive.file, 'r');
		try {
			await handle.read(body, 0, body.byteLength, start);
		} finally {
			await handle.close();
		}
	}
	return body;
}
