/** The search box: debounced queries, the latest answer only. */
import { LatestRequest, errorMessage, fetchSearch } from './api';
import type { SearchResult } from '$lib/server/types';

export type SearchStatus = 'idle' | 'short' | 'loading' | 'ready' | 'error';

const DEBOUNCE_MS = 180;

export class SearchState {
	query = $state('');
	results = $state.raw<SearchResult[]>([]);
	status = $state<SearchStatus>('idle');
	error = $state<string | null>(null);

	#timer: ReturnType<typeof setTimeout> | undefined;
	#request = new LatestRequest();

	input(query: string) {
		this.query = query;
		clearTimeout(this.#timer);
		const text = query.trim();
		if (text === '') return this.clear(false);
		// The server refuses one character (too many hits to mean anything); say so here.
		if ([...text].length < 2) {
			this.#request.abort();
			this.results = [];
			this.status = 'short';
			return;
		}
		this.status = 'loading';
		this.#timer = setTimeout(() => this.run(text), DEBOUNCE_MS);
	}

	async run(text = this.query.trim()) {
		clearTimeout(this.#timer);
		try {
			const answer = await this.#request.run((signal) => fetchSearch(text, 10, signal));
			if (!answer) return;
			this.results = answer.value.results;
			this.status = 'ready';
		} catch (error) {
			this.results = [];
			this.error = errorMessage(error);
			this.status = 'error';
		}
	}

	clear(resetQuery = true) {
		clearTimeout(this.#timer);
		this.#request.abort();
		if (resetQuery) this.query = '';
		this.results = [];
		this.status = 'idle';
	}
}
