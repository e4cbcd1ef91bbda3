/**
 * What the side panel shows: the area picked by a click (at the level the 点选层级 selector
 * names), by a search result, by a parent link or by the URL; or a person found by search.
 * A newer pick aborts the request of an older one, so a slow answer never overwrites a newer.
 */
import type { AreaLevel } from '$lib/domain/glossary';
import { AREA_LEVELS } from '$lib/domain/glossary';
import { ApiError, LatestRequest, errorMessage, fetchArea, fetchAreaAt } from './api';
import type { AreaDetail, AreaIssue, SearchResult } from '$lib/server/types';

export type SelectionStatus = 'idle' | 'loading' | 'ready' | 'empty' | 'error';

export class SelectionState {
	/** the level a click on the map selects */
	level = $state<AreaLevel>('community');
	area = $state.raw<AreaDetail | null>(null);
	status = $state<SelectionStatus>('idle');
	error = $state<string | null>(null);
	/** a person picked from the search results */
	person = $state.raw<SearchResult | null>(null);
	/** the issue the list zoomed to, ringed on the map */
	focusedIssue = $state.raw<AreaIssue | null>(null);

	#request = new LatestRequest();

	get open(): boolean {
		return this.status !== 'idle' || this.person !== null;
	}

	/** The area of the chosen level under a clicked point. */
	selectAt(lng: number, lat: number): Promise<AreaDetail | null> {
		return this.#load((signal) => fetchAreaAt(lng, lat, this.level, signal));
	}

	select(level: AreaLevel, code: string): Promise<AreaDetail | null> {
		return this.#load((signal) => fetchArea(level, code, signal));
	}

	showPerson(result: SearchResult) {
		this.#request.abort();
		this.area = null;
		this.status = 'idle';
		this.focusedIssue = null;
		this.person = result;
	}

	clear() {
		this.#request.abort();
		this.area = null;
		this.person = null;
		this.focusedIssue = null;
		this.status = 'idle';
		this.error = null;
	}

	async #load(request: (signal: AbortSignal) => Promise<AreaDetail>): Promise<AreaDetail | null> {
		this.status = 'loading';
		this.error = null;
		this.person = null;
		this.focusedIssue = null;
		try {
			const answer = await this.#request.run(request);
			if (!answer) return null; // a newer pick took over
			this.area = answer.value;
			this.status = 'ready';
			return answer.value;
		} catch (error) {
			this.area = null;
			if (error instanceof ApiError && error.status === 404) {
				this.status = 'empty';
			} else {
				this.status = 'error';
				this.error = errorMessage(error);
			}
			return null;
		}
	}
}

/** `grid:510522100001001` → { level, code }; anything else → null. */
export function parseAreaParam(value: string | null): { level: AreaLevel; code: string } | null {
	if (!value) return null;
	const at = value.indexOf(':');
	if (at < 0) return null;
	const level = value.slice(0, at);
	const code = value.slice(at + 1);
	if (!(AREA_LEVELS as readonly string[]).includes(level) || !code) return null;
	return { level: level as AreaLevel, code };
}
