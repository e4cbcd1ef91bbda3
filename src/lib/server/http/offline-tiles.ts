/**
 * GET /offline/{file}.pmtiles: a PMTiles archive (interfaces/offline-tiles.ts says which the
 * caller may read) with HTTP range requests, which is how the `pmtiles` reader on the map
 * fetches the header, directories and tiles it needs. Signed out: 401; a file the caller may
 * not read answers as a missing one, 404.
 */
import { checkArchiveName, findArchive, readArchive } from '../interfaces/offline-tiles.js';
import { fail } from '../platform/errors.js';
import { allow } from './allow.js';
import type { Call, Reply } from './endpoint.js';

export const PMTILES_CONTENT_TYPE = 'application/vnd.pmtiles';

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
	checkArchiveName(name);
	allow(call.user, 'offline-tiles.fetch');
	const archive = await findArchive(call.scope, name);
	const { size, etag } = archive;

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
	const body = await readArchive(archive, start, end);
	if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
	return { status: range ? 206 : 200, headers, body, identity: true };
}
