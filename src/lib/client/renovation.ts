/** The renovation ledger's client calls (issue 11); the shapes are the server's (renovation.ts). */
import type { LedgerRow, LedgerTotals } from '$lib/server/types';
import { ApiError } from './api';

export type { LedgerRow, LedgerTotals };

/** The ledger's filters as the page holds them: '' is "any". */
export interface LedgerFilterDraft {
	status: string;
	batch: string;
	year: string;
	street: string;
	community: string;
	demonstration: string;
}

/** The query string of a filter: the same for the ledger, the map and both exports. */
export function filterQuery(filter: LedgerFilterDraft): string {
	const query = new URLSearchParams();
	for (const [key, value] of Object.entries(filter)) if (value !== '') query.set(key, value);
	return query.toString();
}

export async function fetchLedger(filter: LedgerFilterDraft, signal?: AbortSignal): Promise<{ projects: LedgerRow[]; totals: LedgerTotals }> {
	const res = await fetch(`/api/renovation?${filterQuery(filter)}`, { signal, headers: { accept: 'application/json' } });
	if (!res.ok) throw await ApiError.from(res);
	return res.json();
}

/** A change to a project (a status step, progress); the project as it now is. */
export async function patchProject<T>(code: string, change: Record<string, unknown>): Promise<T> {
	const res = await fetch(`/api/renovation/${encodeURIComponent(code)}`, {
		method: 'PATCH',
		headers: { 'content-type': 'application/json', accept: 'application/json' },
		body: JSON.stringify(change)
	});
	if (!res.ok) throw await ApiError.from(res);
	return res.json();
}
