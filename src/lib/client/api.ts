/**
 * Fetchers for the map page's JSON API. Each takes an AbortSignal so a state class can drop
 * a request that a newer one made stale (a second click before the first answer).
 */
import type { AreaLevel } from '$lib/domain/glossary';
import type { AreaDetail, AreaIssuePage, ChoroplethData, ChoroplethLevel, ChoroplethMetric, SearchResult } from '$lib/server/types';
import { describeError, errorText, UNLISTED } from '$lib/api-error';
import { locale } from './locale.svelte';

/**
 * A 4xx/5xx answer: the server's English `message`, and the `code` and `params` of its
 * catalogue entry, so `errorMessage` shows it in the UI language.
 */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly code: string = UNLISTED,
		readonly params: Record<string, string> = {}
	) {
		super(message);
	}

	/** The error a refused answer carries, read from its body. */
	static async from(res: Response): Promise<ApiError> {
		const body = await res.json().catch(() => null);
		return new ApiError(res.status, typeof body?.message === 'string' ? body.message : res.statusText || String(res.status), body?.code, body?.params);
	}
}

async function getJson<T>(path: string, params: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T> {
	const query = new URLSearchParams();
	for (const [key, value] of Object.entries(params)) {
		if (value !== undefined && value !== '') query.set(key, String(value));
	}
	const qs = query.toString();
	const res = await fetch(qs ? `${path}?${qs}` : path, { signal, headers: { accept: 'application/json' } });
	if (!res.ok) throw await ApiError.from(res);
	return res.json() as Promise<T>;
}

/**
 * Sends a JSON body (a form's write): null when the server took it, else the message it refused
 * it with, which names what is wrong, in the UI language.
 */
export async function sendJson(method: string, path: string, body: unknown): Promise<string | null> {
	const res = await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (res.ok) return null;
	return errorText(res, locale.current);
}

export function fetchArea(level: AreaLevel, code: string, signal?: AbortSignal) {
	return getJson<AreaDetail>(`/api/areas/${level}/${encodeURIComponent(code)}`, {}, signal);
}

export function fetchAreaAt(lng: number, lat: number, level: AreaLevel | undefined, signal?: AbortSignal) {
	return getJson<AreaDetail>('/api/areas/at', { lng: lng.toFixed(7), lat: lat.toFixed(7), level }, signal);
}

export interface IssueFilter {
	status?: string;
	category?: string;
	page: number;
	limit: number;
}

export function fetchAreaIssues(level: AreaLevel, code: string, filter: IssueFilter, signal?: AbortSignal) {
	return getJson<AreaIssuePage>(`/api/areas/${level}/${encodeURIComponent(code)}/issues`, { ...filter }, signal);
}

export function fetchSearch(q: string, limit: number, signal?: AbortSignal) {
	return getJson<{ results: SearchResult[] }>('/api/search', { q, limit }, signal);
}

export function fetchChoropleth(level: ChoroplethLevel, metric: ChoroplethMetric, signal?: AbortSignal) {
	return getJson<ChoroplethData>('/api/choropleth', { level, metric }, signal);
}

/**
 * Runs one request at a time: starting a new one aborts the one before, whose answer is then
 * never applied. `run` resolves to undefined for an aborted request.
 */
export class LatestRequest {
	#controller: AbortController | null = null;

	async run<T>(request: (signal: AbortSignal) => Promise<T>): Promise<{ value: T } | undefined> {
		this.#controller?.abort();
		const controller = new AbortController();
		this.#controller = controller;
		try {
			const value = await request(controller.signal);
			return controller.signal.aborted ? undefined : { value };
		} catch (error) {
			if (controller.signal.aborted) return undefined;
			throw error;
		} finally {
			if (this.#controller === controller) this.#controller = null;
		}
	}

	abort() {
		this.#controller?.abort();
		this.#controller = null;
	}
}

/** What to tell the user of a failure: a server's refusal in the UI language, else the error's own text. */
export function errorMessage(error: unknown): string {
	return error instanceof Error ? describeError(error, locale.current, error.message) : String(error);
}
