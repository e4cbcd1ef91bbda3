/**
 * The one error type of the HTTP API: a status and a message that names what is wrong (the
 * field, the feature index, the ring). Parameter readers and domain functions throw it;
 * both doors of the server (endpoint.ts) render it, as JSON `{"message", "code", "params"}`
 * or, for Open311 clients, as GeoReport v2's `<errors>` XML. The code and params come from
 * the message's entry in the catalogue (src/lib/messages/api-errors.ts), so pages can show it
 * in the UI language while API clients keep the English message. Anything else thrown is a
 * bug: logged, and answered as a bare 500 without stack, SQL or driver text.
 */
import { errorBody, type ErrorBody } from '../../api-error.js';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		/** headers the answer carries, e.g. Retry-After with a 429, Allow with a 405 */
		readonly headers: Record<string, string> = {}
	) {
		super(message);
		this.name = 'ApiError';
	}

	#body?: ErrorBody;
	/** `{message, code, params}`, matched against the catalogue when first asked (an Open311 answer never asks). */
	get body(): ErrorBody {
		this.#body ??= errorBody(this.message);
		return this.#body;
	}

	/** the catalogue entry's stable code, 'unlisted' for a message it lacks */
	get code(): string {
		return this.body.code;
	}

	/** the message's variable parts, named as the catalogue entry names them */
	get params(): Record<string, string> {
		return this.body.params;
	}
}

/** Throws an ApiError: `fail(400, 'lng must be a number')`. */
export function fail(status: number, message: string, headers?: Record<string, string>): never {
	throw new ApiError(status, message, headers);
}

export function isApiError(error: unknown): error is ApiError {
	return error instanceof Error && error.name === 'ApiError' && typeof (error as ApiError).status === 'number';
}

/** What a caller is told of an unexpected failure: nothing of its cause. */
export const INTERNAL_ERROR = new ApiError(500, 'Internal error');

/** `{"message": "…", "code": "…", "params": {…}}`, the JSON body of every error answer. */
export function errorJson(error: ApiError): string {
	return JSON.stringify(error.body);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/**
 * Characters XML 1.0 cannot carry at all, not even as a reference (&#1; is as fatal to a
 * parser as a raw U+0001): C0 controls other than tab and line breaks, lone surrogates,
 * U+FFFE and U+FFFF. Stored text can hold them (plain-text checks let them through).
 */
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text as XML character data or an attribute value: markup escaped, characters XML cannot hold replaced by U+FFFD. */
export function escapeXml(text: string): string {
	return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** Open311 GeoReport v2's error document: `<errors><error><code/><description/></error></errors>`. */
export function errorXml(error: ApiError): string {
	return (
		'<?xml version="1.0" encoding="utf-8"?>\n' +
		`<errors><error><code>${error.status}</code><description>${escapeXml(error.message)}</description></error></errors>`
	);
}
