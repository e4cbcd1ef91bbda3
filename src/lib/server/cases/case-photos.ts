/**
 * Photos of cases. Uploaded one at a time (checked by content, re-encoded upright without
 * metadata: photo-processing.ts) into a pending row known by a random token; a report or a
 * transition names up to six tokens and attaches them in its own transaction. Served only to
 * callers who may read the case, thumbnails for lists.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from '../accounts/accounts.js';
import { json, type Call, type Reply } from '../http/endpoint.js';
import { fail } from '../platform/errors.js';
import { MAX_PHOTO_BYTES, processPhoto } from './photo-processing.js';
import { pathCode, pathId } from '../http/params.js';
import { take } from '../http/rate-limit.js';
import * as cases from './cases.js';

/** Pending photos no report or visit named within a day are removed at the next upload. */
const PENDING_HOURS = 24;

/** Stores a checked photo as pending; its token. */
export async function upload(knex: Knex, user: User | null, bytes: Uint8Array): Promise<{ token: string; width: number; height: number; mime: string }> {
	const photo = await processPhoto(bytes, 'the photo');
	const token = randomBytes(18).toString('base64url');
	await knex.raw(`DELETE FROM case_photos WHERE issue_id IS NULL AND visit_id IS NULL AND created_at < now() - make_interval(hours => :hours)`, { hours: PENDING_HOURS });
	await knex('case_photos').insert({ token, uploaded_by: user?.id ?? null, mime: photo.mime, width: photo.width, height: photo.height, bytes: photo.bytes, thumb: photo.thumb });
	return { token, width: photo.width, height: photo.height, mime: photo.mime };
}

/** Attaches pending photos (by token) to a case and the event that brought them; a 400 naming a token that is not the caller's pending photo. */
export async function attachPhotos(trx: Knex, tokens: string[], issueId: number, eventId: number, user: User | null): Promise<void> {
	for (const [i, token] of tokens.entries()) {
		const { rowCount } = await trx.raw(
			`UPDATE case_photos SET issue_id = :issue, event_id = :event WHERE token = :token AND issue_id IS NULL AND visit_id IS NULL
				AND uploaded_by IS NOT DISTINCT FROM :user`,
			{ issue: issueId, event: eventId, token, user: user?.id ?? null }
		);
		if (rowCount === 0) fail(400, `photos[${i}] is not a photo you uploaded and have not used yet`);
	}
	const { rows } = await trx.raw(`SELECT count(*)::int AS n FROM case_photos WHERE issue_id = :issue`, { issue: issueId });
	if (rows[0].n > 6 * 20) fail(400, 'a case holds at most 120 photos');
}

// ---------------------------------------------------------------- endpoints

/** POST /api/photos (the image as the body): a pending photo's token, to name in a report or transition. */
export async function postPhoto(call: Call): Promise<Reply> {
	if (!call.user) take(`photo:${call.clientAddress}`, 30, 10 * 60_000, 'photo uploads');
	const bytes = await call.body(MAX_PHOTO_BYTES);
	return json(await upload(call.db.knex, call.user, bytes), 201);
}

/** GET /api/cases/{code}/photos/{id}[?size=thumb]: a photo of a case the caller may read. */
export async function getPhoto(call: Call): Promise<Reply> {
	if (!call.user) fail(401, 'sign in to see photos of cases');
	const code = pathCode(call.params, 'code');
	const id = pathId(call.params, 'id');
	const record = await cases.read(call.db.knex, call.user, call.scope, code);
	if (!record || !record.photos.some((p) => p.id === id)) fail(404, `no photo ${id} of case '${code}'`);
	const thumb = call.query.get('size') === 'thumb';
	const row = await call.db.knex('case_photos').where({ id }).first(thumb ? 'thumb as bytes' : 'bytes', 'mime');
	return {
		status: 200,
		headers: { 'Content-Type': thumb ? 'image/webp' : row.mime, 'Cache-Control': 'private, max-age=86400', Vary: 'Cookie, Authorization', 'X-Content-Type-Options': 'nosniff' },
		body: new Uint8Array(row.bytes)
	};
}
