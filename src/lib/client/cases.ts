/**
 * The case loop's requests from pages: report, upload a photo, look for open cases nearby,
 * move a case on with the version it was read at (If-Match), and the work lists. Errors carry
 * the server's message, which names what is wrong.
 */
import type { IssueStatus, MatterType, Urgency } from '$lib/domain/glossary';
import { ApiError } from './api';

async function send<T>(path: string, init: RequestInit): Promise<{ value: T; etag: string | null }> {
	const res = await fetch(path, init);
	if (!res.ok) throw await ApiError.from(res);
	const value = res.status === 204 ? (undefined as T) : ((await res.json()) as T);
	return { value, etag: res.headers.get('etag') };
}

const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
	method,
	headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
	body: JSON.stringify(body)
});

export interface ReportDraft {
	category: string;
	description: string;
	lng: number;
	lat: number;
	title?: string;
	matter_type?: MatterType;
	urgency?: Urgency;
	photos?: string[];
	resolved_on_site?: boolean;
	idempotency_key?: string;
	name?: string;
	contact?: string;
	/** the honeypot: a person leaves it empty */
	website?: string;
}

export interface CreatedCase {
	code: string;
	status: IssueStatus;
	version?: number;
	due_at?: string | null;
	rating_link?: string;
}

/** Reports a case: as staff (signed in) or as a resident (the public form). */
export async function reportCase(draft: ReportDraft, asResident: boolean): Promise<CreatedCase> {
	return (await send<CreatedCase>(asResident ? '/api/cases/public' : '/api/cases', jsonInit('POST', draft))).value;
}

/** Uploads one photo; its token, to name in a report or a transition. */
export async function uploadPhoto(file: File): Promise<string> {
	const { value } = await send<{ token: string }>('/api/photos', { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file });
	return value.token;
}

export interface NearbyCase {
	code: string;
	title: string | null;
	category: string;
	status: IssueStatus;
	distance_m: number;
	/** where it is: only cases whose exact point is public reach a resident */
	lng: number;
	lat: number;
}

export async function nearbyCases(lng: number, lat: number, category: string, signal?: AbortSignal): Promise<{ metres: number; items: NearbyCase[] }> {
	const q = new URLSearchParams({ lng: lng.toFixed(7), lat: lat.toFixed(7), category });
	return (await send<{ metres: number; items: NearbyCase[] }>(`/api/cases/nearby?${q}`, { signal })).value;
}

export interface TransitionDraft {
	to: IssueStatus;
	note?: string;
	/** shown to the reporter and the public (Open311); the note stays internal */
	public_reply?: string;
	photos?: string[];
	departments?: string[];
	matter_type?: MatterType;
	urgency?: Urgency;
	backlog_reason?: string;
	backlog_review_on?: string;
	duplicate_of?: string;
}

/** Moves a case on from the version it was read at; the case as it is now. */
export async function transitionCase<T>(code: string, version: number, draft: TransitionDraft): Promise<T> {
	return (await send<T>(`/api/cases/${encodeURIComponent(code)}/transitions`, jsonInit('POST', draft, { 'if-match': `"v${version}"` }))).value;
}

export async function acknowledgeCase<T>(code: string, version: number, note?: string): Promise<T> {
	return (await send<T>(`/api/cases/${encodeURIComponent(code)}/acknowledge`, jsonInit('POST', note ? { note } : {}, { 'if-match': `"v${version}"` }))).value;
}

export async function rateCase(code: string, rating: number, token?: string): Promise<void> {
	await send<void>(`/api/cases/${encodeURIComponent(code)}/rating`, jsonInit('POST', token ? { rating, token } : { rating }));
}

export async function workCounts(): Promise<{ total: number; lists: Record<string, number> }> {
	return (await send<{ total: number; lists: Record<string, number> }>('/api/cases/counts', {})).value;
}

/** A fresh idempotency key for one report, so a retry cannot file it twice. */
export function newIdempotencyKey(): string {
	return crypto.randomUUID();
}
