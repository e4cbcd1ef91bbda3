/**
 * Photos of cases. Uploaded one at a time (checked by content, re-encoded upright without
 * metadata: photo-processing.ts) into a pending row known by a random token; a report or a
 * transition names up to six tokens and attaches them in its own transaction. Served only to
 * callers who may read the case, thumbnails for lists.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { processPhoto } from './photo-processing.js';

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

export interface PhotoBytes {
	bytes: Uint8Array;
	mime: string;
}

/** A stored photo's bytes, or its thumbnail's (WebP); the caller has checked it may be seen. */
export async function photoBytes(knex: Knex, id: number, thumb: boolean): Promise<PhotoBytes> {
	const row = await knex('case_photos').where({ id }).first(thumb ? 'thumb as bytes' : 'bytes', 'mime');
	return { bytes: new Uint8Array(row.bytes), mime: thumb ? 'image/webp' : row.mime };
}
