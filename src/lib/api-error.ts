/**
 * API error messages in the UI language (issue 21, point 7). The server keeps its English
 * message for API clients and adds the catalogue entry's code and the message's variable
 * parts (`matchMessage`); a page renders that entry in Chinese or English (`describeError`,
 * `errorText`). Used by server and browser alike, so it imports nothing of either.
 */
import { API_ERRORS, type ApiErrorEntry } from './messages/api-errors.js';
import { ACTIONS, FIELD_LABELS } from './messages/api-error-labels.js';
import { formatInstant, label, type LabelTable, type Locale } from './i18n.js';
import type { Pair } from './messages/pair.js';

/** The JSON body of every error answer. */
export interface ErrorBody {
	/** the English message, as API clients have always read it */
	message: string;
	/** the catalogue entry's stable code; 'unlisted' for a message the catalogue lacks */
	code: string;
	/** the message's variable parts, by the entry's names */
	params: Record<string, string>;
}

export const UNLISTED = 'unlisted';

interface Compiled {
	entry: ApiErrorEntry;
	pattern: RegExp;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * An English template as an anchored pattern: literal text escaped, each `{name}` a lazy
 * capture (a name used twice must repeat what it matched the first time).
 */
export function templatePattern(en: string): RegExp {
	const seen = new Set<string>();
	let source = '';
	let last = 0;
	for (const m of en.matchAll(PLACEHOLDER)) {
		source += escape(en.slice(last, m.index));
		source += seen.has(m[1]) ? `\\k<${m[1]}>` : `(?<${m[1]}>[\\s\\S]*?)`;
		seen.add(m[1]);
		last = m.index + m[0].length;
	}
	return new RegExp(`^${source}${escape(en.slice(last))}$`);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The names of a template's placeholders, each once. */
export function templateParams(template: string): string[] {
	return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

let compiled: Compiled[] | null = null;
let byCode: Map<string, ApiErrorEntry> | null = null;

// Compiled on first use: a page that never meets an error never pays for ~400 patterns.
function catalogue(): Compiled[] {
	compiled ??= API_ERRORS.map((entry) => ({ entry, pattern: templatePattern(entry.en) }));
	return compiled;
}

function entryOf(code: string): ApiErrorEntry | undefined {
	byCode ??= new Map(API_ERRORS.map((e) => [e.code, e]));
	return byCode.get(code);
}

/** The code and params of an English message: the first catalogue entry it matches, else 'unlisted'. */
export function matchMessage(message: string): { code: string; params: Record<string, string> } {
	for (const { entry, pattern } of catalogue()) {
		const m = pattern.exec(message);
		if (m) return { code: entry.code, params: { ...m.groups } };
	}
	return { code: UNLISTED, params: {} };
}

/** The full error body of an English message. */
export function errorBody(message: string): ErrorBody {
	return { message, ...matchMessage(message) };
}

/** Params whose values are names the UI translates; the rest are shown as they are. */
const PARAM_TABLES: Record<string, (locale: Locale, value: string) => string> = {
	field: (locale, value) => fieldLabel(locale, value),
	other: (locale, value) => fieldLabel(locale, value),
	action: (locale, value) => pair(ACTIONS, value, locale),
	account: (locale, value) => table(locale, 'userRole', value),
	level: (locale, value) => table(locale, 'level', value),
	role: (locale, value) => table(locale, 'role', value),
	caseStatus: (locale, value) => table(locale, 'status', value),
	to: (locale, value) => table(locale, 'status', table(locale, 'renovationStatus', value)),
	allowed: (locale, value) => table(locale, 'status', value),
	renovationStatus: (locale, value) => table(locale, 'renovationStatus', value),
	next: (locale, value) => table(locale, 'renovationStatus', value)
};

const pair = (labels: Record<string, Pair>, value: string, locale: Locale) => (Object.hasOwn(labels, value) ? labels[value][locale] : value);

/** A label, item by item for a list ("registered, rejected"); anything unknown as it is. */
function table(locale: Locale, name: LabelTable, value: string): string {
	return value
		.split(', ')
		.map((item) => label(locale, name, item))
		.join(locale === 'zh' ? '、' : ', ');
}

/** A field name in the UI language: `photos[2]` is the label of `photos`, then `[2]`. */
function fieldLabel(locale: Locale, value: string): string {
	const m = /^([^[\]]+)(\[\d+\].*)?$/.exec(value);
	if (!m || !Object.hasOwn(FIELD_LABELS, m[1])) return value;
	return FIELD_LABELS[m[1]][locale] + (m[2] ?? '');
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An entry's text in `locale`, its params filled (translated where PARAM_TABLES says, instants in China time). */
export function renderError(code: string, params: Record<string, string>, locale: Locale): string | null {
	const entry = entryOf(code);
	if (!entry) return null;
	const template = locale === 'zh' ? entry.zh : entry.en;
	return template.replace(PLACEHOLDER, (whole, name: string) => {
		if (!Object.hasOwn(params, name)) return whole;
		const value = String(params[name]);
		if (locale !== 'zh') return value;
		// An instant the server wrote in UTC, as the county reads a clock: China time.
		if (INSTANT.test(value)) return formatInstant(locale, value);
		return Object.hasOwn(PARAM_TABLES, name) ? PARAM_TABLES[name](locale, value) : value;
	});
}

/**
 * What to show a user of an error answer (or a thrown error carrying one): the entry in the
 * UI language; an unlisted message as the server wrote it; `fallback` when there is nothing.
 * A body without a code (an old outbox record) is matched here by its message.
 */
export function describeError(body: unknown, locale: Locale, fallback = ''): string {
	const b = (body && typeof body === 'object' ? body : {}) as Partial<ErrorBody>;
	const message = typeof b.message === 'string' ? b.message : '';
	if (locale === 'en' && message) return message;
	const found = typeof b.code === 'string' && b.code !== UNLISTED && b.params && typeof b.params === 'object' ? { code: b.code, params: b.params } : message ? matchMessage(message) : null;
	return (found && renderError(found.code, found.params, locale)) || message || fallback;
}

/** The text of a refused answer, read from its body: for `if (!res.ok) note = await errorText(res, locale.current)`. */
export async function errorText(res: Response, locale: Locale): Promise<string> {
	const body = await res.json().catch(() => null);
	return describeError(body, locale, `${res.status} ${res.statusText}`.trim());
}
