/** The paged, filtered issue list of the selected area (newest first, as the API sorts). */
import type { AreaLevel } from '$lib/domain/glossary';
import { LatestRequest, errorMessage, fetchAreaIssues } from './api';
import type { AreaIssuePage } from '$lib/server/types';

export class AreaIssuesState {
	status = $state('');
	category = $state('');
	page = $state(1);
	readonly limit: number;
	data = $state.raw<AreaIssuePage | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);

	pages = $derived(this.data ? Math.max(1, Math.ceil(this.data.total / this.data.limit)) : 1);

	#request = new LatestRequest();

	constructor(limit = 10) {
		this.limit = limit;
	}

	/** Reads the filters synchronously, so an $effect that calls this reruns when they change. */
	async load(level: AreaLevel, code: string) {
		const filter = { status: this.status, category: this.category, page: this.page, limit: this.limit };
		this.loading = true;
		this.error = null;
		try {
			const answer = await this.#request.run((signal) => fetchAreaIssues(level, code, filter, signal));
			if (!answer) return;
			this.data = answer.value;
			this.loading = false;
		} catch (error) {
			this.error = errorMessage(error);
			this.loading = false;
		}
	}

	setFilter(filter: { status?: string; category?: string }) {
		if (filter.status !== undefined) this.status = filter.status;
		if (filter.category !== undefined) this.category = filter.category;
		this.page = 1;
	}

	destroy() {
		this.#request.abort();
	}
}
