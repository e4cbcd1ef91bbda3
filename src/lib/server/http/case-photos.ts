/**
 * Photos of cases over HTTP: the upload (a pending photo's token, to name in a report or a
 * transition) and a photo of a case the caller may read. What is stored and who may see it
 * stay in cases/case-photos.ts and cases/cases.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { pathCode, pathId } from './params.js';
import { take } from './rate-limit.js';
import { allow } from './allow.js';
import { MAX_PHOTO_BYTES } from '../cases/photo-processing.js';
import { upload } from '../cases/case-photos.js';
import * as cases from '../cases/cases.js';

/** POST /api/photos (the image as the body): a pending photo's token, to name in a report or transition. */
export async function postPhoto(call: Call): Promise<Reply> {
	if (!call.user) take(`photo:${call.clientAddress}`, 30, 10 * 60_000, 'photo uploads');
	const bytes = await call.body(MAX_PHOTO_BYTES);
	return json(await upload(call.db.knex, call.user, bytes), 201);
}

/** GET /api/cases/{code}/photos/{id}[?size=thumb]: a photo of a case the caller may read. */
export async function getPhoto(call: Call): Promise<Reply> {
	const user = allow(call.user, 'case-photo.read');
	const code = pathCode(call.params, 'code');
	const id = pathId(call.params, 'id');
	const photo = await cases.photo(call.db.knex, user, call.scope, code, id, call.query.get('size') === 'thumb');
	return {
		status: 200,
		headers: { 'Content-Type': photo.mime, 'Cache-Control': 'private, max-age=86400', Vary: 'Cookie, Authorization', 'X-Content-Type-Options': 'nosniff' },
		body: photo.bytes
	};
}
