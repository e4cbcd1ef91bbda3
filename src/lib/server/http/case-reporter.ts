/**
 * The reporter's private link over HTTP (/api/cases/{code}/reporter, /reopen, the photos):
 * the token from the request, a limit per address so a token cannot be guessed by trying,
 * and replies no page can leak (no-store, no referrer). What the link shows and allows is
 * cases/case-reporter.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { fail } from '../platform/errors.js';
import { bodyText, bodyTextList, checkPlainText, parseJsonObject, pathCode, pathId, queryText } from './params.js';
import { take } from './rate-limit.js';
import * as reporter from '../cases/case-reporter.js';
import { MAX_PHOTOS, MAX_PUBLIC_REPLY } from '../cases/cases.js';

/** Link checks are limited per address, so a token cannot be guessed by trying. */
function limit(call: Call): void {
	take(`reporter-link:${call.clientAddress}`, 120, 10 * 60_000, 'requests with a report link');
}

function tokenFrom(value: string | undefined): string {
	if (!value) fail(400, 'token is required: the secret of the link you were given when you reported');
	return value;
}

/** GET /api/cases/{code}/reporter?token=…: the case as its reporter sees it. */
export async function getView(call: Call): Promise<Reply> {
	limit(call);
	const code = pathCode(call.params, 'code');
	const token = tokenFrom(queryText(call.query, 'token', 100));
	return json(await reporter.view(call.db.knex, code, token), 200, { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });
}

/** POST /api/cases/{code}/reopen {"token", "reason", "photos"?}: the reporter reopens a resolved case. */
export async function postReopen(call: Call): Promise<Reply> {
	limit(call);
	const code = pathCode(call.params, 'code');
	const body = parseJsonObject(await call.body(16 * 1024), '{"token", "reason", "photos"?: [token, …]}');
	const token = tokenFrom(typeof body.token === 'string' ? body.token.slice(0, 100) : undefined);
	const reason = checkPlainText('reason', bodyText(body, 'reason', { max: MAX_PUBLIC_REPLY, hint: 'what is still wrong' }));
	const photos = bodyTextList(body, 'photos', MAX_PHOTOS);
	await reporter.reopen(call.db.knex, code, token, reason, photos);
	return json(await reporter.view(call.db.knex, code, token), 200, { 'Cache-Control': 'private, no-store' });
}

/** GET /api/cases/{code}/reporter/photos/{id}?token=…[&size=thumb]: a photo the link shows. */
export async function getPhoto(call: Call): Promise<Reply> {
	limit(call);
	const code = pathCode(call.params, 'code');
	const id = pathId(call.params, 'id');
	const token = tokenFrom(queryText(call.query, 'token', 100));
	const photo = await reporter.photo(call.db.knex, code, token, id, call.query.get('size') === 'thumb');
	return {
		status: 200,
		headers: { 'Content-Type': photo.mime, 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' },
		body: photo.bytes
	};
}
