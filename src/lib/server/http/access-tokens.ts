/**
 * Personal access tokens over HTTP: reading a bearer token from a request, the admin's
 * requests to list, issue and revoke tokens, and their answers. The tokens themselves live in
 * accounts/access-tokens.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { bodyText, bodyWholeNumber, checkPlainText, parseJsonObject, pathId } from './params.js';
import { allow } from './allow.js';
import * as tokens from '../accounts/access-tokens.js';

/**
 * The credentials of an `Authorization: Bearer …` header (RFC 6750 §2.1; the scheme is
 * case-insensitive), '' for a bare `Bearer`; undefined when there is no header or it names
 * another scheme — a proxy in front of an intranet host may add its own `Basic`, which is not
 * ours to judge.
 */
export function bearerToken(authorization: string | null | undefined): string | undefined {
	if (!authorization) return undefined;
	const m = /^bearer(?:[ \t]+(.*))?$/is.exec(authorization.trim());
	return m ? (m[1] ?? '').trim() : undefined;
}

const NO_STORE = { 'Cache-Control': 'no-store' };
/** A request to issue a token is three short fields. */
const BODY_LIMIT = 4096;

/** GET /api/access-tokens: an admin lists every token (never a token or its hash). */
export async function getAccessTokens(call: Call): Promise<Reply> {
	allow(call.user, 'token.list');
	return json(await tokens.list(call.db.knex), 200, NO_STORE);
}

/** The fields of a request to issue a token; a 400 naming the field when one is wrong. */
export function newTokenInput(bytes: Uint8Array): tokens.NewToken {
	const body = parseJsonObject(bytes, '{"username": "demo-planner", "label": "县自然资源局 QGIS", "expires_in_days"?: 365}');
	const username = bodyText(body, 'username', { max: 100, hint: 'the account the token acts as' });
	const label = checkPlainText('label', bodyText(body, 'label', { max: tokens.MAX_LABEL, hint: 'who holds the token' }));
	const days = Object.hasOwn(body, 'expires_in_days') ? body.expires_in_days : undefined;
	const expiresInDays = days === undefined || days === null ? undefined : bodyWholeNumber(body, 'expires_in_days', 1, tokens.MAX_EXPIRY_DAYS);
	return { username, label, expiresInDays };
}

/** POST /api/access-tokens {username, label, expires_in_days?}: an admin issues a token, shown in this answer only. */
export async function postAccessToken(call: Call): Promise<Reply> {
	const user = allow(call.user, 'token.issue');
	const issued = await tokens.create(call.db.knex, user, newTokenInput(await call.body(BODY_LIMIT)));
	return json(issued, 201, { ...NO_STORE, Location: `/api/access-tokens/${issued.id}` });
}

/** DELETE /api/access-tokens/{id}: an admin revokes a token; the answer is the revoked token. */
export async function deleteAccessToken(call: Call): Promise<Reply> {
	const user = allow(call.user, 'token.revoke');
	return json(await tokens.revoke(call.db.knex, user, pathId(call.params, 'id')), 200, NO_STORE);
}
