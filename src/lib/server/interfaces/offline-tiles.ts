/**
 * GET /offline/{file}.pmtiles: PMTiles archives from `tiles:export` (tile-export.ts), served
 * from PMTILES_DIR (default data/pmtiles) with HTTP range requests, which is how the
 * `pmtiles` reader on the map fetches the header, directories and tiles it needs.
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
import type { Call, Reply } from '../http/endpoint.js';
import { fail } from '../platform/errors.js';
import { scopeKey } from '../ownership/territory.js';
import type { ExportRecord } from './tile-export.js';

export const PMTILES_CONTENT_TYPE = 'application/vnd.pmtiles';

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
function mayRead(call: Call, record: ExportRecord | null): boolean {
	if (call.scope.kind === 'all') return true;
	if (!record || call.scope.kind !== 'territory') return false;
	return record.scope_key === scopeKey(call.scope);
}

/** The one byte range a Range header asks for, inclusive; a 416 naming what is wrong. */
export function parseRange(header: string, size: number): { start: number; end: number } {
	const refuse = (why: string): never => fail(416, `Range '${header.slice(0, 100)}' ${why}; the file has ${size} bytes`, { 'Content-Range': `bytes */${size}` });
	const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
	if (!match) return header.includes(',') ? refuse('asks for several ranges; ask for one') : refuse('is not bytes=start-end, bytes=start- or bytes=-length');
	const [, a, b] = match;
	if (a === '' && b === '') refuse('names no byte');
	if (a === '') {
		// A suffix: the last b bytes.
		const n = Number(b);
		if (n === 0 || size === 0) refuse('asks for no byte');
		return { start: Math.max(0, size - n), end: size - 1 };
	}
	const start = Number(a);
	const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
	if (b !== '' && Number(b) < start) refuse('ends before it starts');
	if (start >= size) refuse('starts after the end of the file');
	return { start, end };
}

function etagMatches(header: string | null, etag: string): boolean {
	return header !== null && header.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
}

/** GET /offline/{file}.pmtiles */
export async function getArchive(call: Call): Promise<Reply> {
	const name = call.params.file ?? '';
	if (!FILE_NAME.test(name)) fail(400, `file must be a name of letters, digits, '_', '-' and '.' (not starting with '.'), up to 128 characters, then .pmtiles`);
	if (!call.user) fail(401, 'sign in to fetch offline tiles');
	const dir = pmtilesDir();
	const file = path.join(dir, `${name}.pmtiles`);
	// The pattern already keeps the path in the folder; this says so where it matters.
	if (path.dirname(file) !== dir) fail(400, 'file must name a file in the offline tiles folder');
	const notFound = () => fail(404, `no offline tiles '${name}.pmtiles'`);
	const stat = await fs.stat(file).catch(() => null);
	if (!stat?.isFile()) notFound();
	const size = stat!.size;
	const etag = `"${size.toString(36)}-${Math.floor(stat!.mtimeMs).toString(36)}"`;
	if (!mayRead(call, await recordOf(file, size, etag))) notFound();

	const headers: Record<string, string> = {
		'Content-Type': PMTILES_CONTENT_TYPE,
		'Accept-Ranges': 'bytes',
		ETag: etag,
		// The answer depends on who asks; no proxy compresses it, or ranges would no longer be its bytes.
		'Cache-Control': 'private, no-cache, no-transform',
		Vary: 'Cookie, Authorization'
	};
	if (etagMatches(call.header('if-none-match'), etag)) return { status: 304, headers };
	const rangeHeader = call.header('range');
	const ifRange = call.header('if-range');
	// If-Range naming another version: the whole file, as RFC 9110 §13.1.5 says.
	const range = rangeHeader !== null && (ifRange === null || ifRange === etag) ? parseRange(rangeHeader, size) : null;
	const start = range?.start ?? 0;
	const end = range?.end ?? size - 1;
	const body = Buffer.alloc(end - start + 1);
	if (body.byteLength > 0) {
		const handle = await fs.open(file, 'r');
		try {
			await handle.read(body, 0, body.byteLength, start);
		} finally {
			await handle.close();
		}
	}
	if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
	return { status: range ? 206 : 200, headers, body, identity: true };
}
