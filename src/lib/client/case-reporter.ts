/**
 * The reporter's private link from the status page (issue 21): the case as its reporter sees
 * it, and reopening it. The token travels as the link carries it; errors keep the server's status.
 */
import type { ReporterStep, ReporterView } from '$lib/server/types';
import { ApiError } from './api';

// The shapes are the server's own (type-only: nothing of the server module reaches the browser).
export type { ReporterStep, ReporterView };

async function answer<T>(res: Response): Promise<T> {
	if (!res.ok) {
		const body = await res.json().catch(() => null);
		throw new ApiError(res.status, body?.message ?? res.statusText);
	}
	return (await res.json()) as T;
}

const path = (code: string) => `/api/cases/${encodeURIComponent(code)}`;

export async function reporterView(code: string, token: string): Promise<ReporterView> {
	return answer(await fetch(`${path(code)}/reporter?${new URLSearchParams({ token })}`, { headers: { accept: 'application/json' } }));
}

export async function reopenCase(code: string, token: string, reason: string): Promise<ReporterView> {
	return answer(
		await fetch(`${path(code)}/reopen`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ token, reason }) })
	);
}

/** Where the link's photo `id` is served, as a thumbnail or whole. */
export function reporterPhotoUrl(code: string, token: string, id: number, thumb: boolean): string {
	return `${path(code)}/reporter/photos/${id}?${new URLSearchParams(thumb ? { token, size: 'thumb' } : { token })}`;
}
