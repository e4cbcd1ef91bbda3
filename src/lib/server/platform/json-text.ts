/**
 * JSON text that PostgreSQL built for an answer, typed by what it holds. The HTTP answer
 * passes the text on unparsed (no parse and re-serialise on the hot path); other callers
 * read it with parseJson and get the typed value.
 */
export type JsonText<T> = string & { readonly __holds?: T };

export function parseJson<T>(text: JsonText<T>): T;
export function parseJson<T>(text: JsonText<T> | null): T | null;
export function parseJson<T>(text: JsonText<T> | null): T | null {
	return text === null ? null : (JSON.parse(text) as T);
}
