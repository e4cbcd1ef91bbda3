/**
 * The choropleth control: none, or a metric at grid or community level; the values come
 * from /api/choropleth and the map colours the areas with feature-state.
 */
import { LatestRequest, errorMessage, fetchChoropleth } from './api';
import type { ChoroplethData, ChoroplethLevel, ChoroplethMetric } from '$lib/server/types';

/**
 * Light to dark, five classes (the server gives four quantile breaks). Cool teal to navy, so
 * a choropleth never reads as the issue heat map's warm yellow to red (issue 21).
 */
export const CHOROPLETH_RAMP = ['#e3f4f1', '#a6dbd0', '#5cb3b0', '#2b7d93', '#1b4a6e'] as const;

export class ChoroplethState {
	metric = $state<ChoroplethMetric | 'none'>('none');
	level = $state<ChoroplethLevel>('grid');
	data = $state.raw<ChoroplethData | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);

	#request = new LatestRequest();

	/** Reads metric and level synchronously, so an $effect calling it follows them. */
	async load() {
		const { metric, level } = this;
		if (metric === 'none') {
			this.#request.abort();
			this.data = null;
			return;
		}
		this.loading = true;
		this.error = null;
		try {
			const answer = await this.#request.run((signal) => fetchChoropleth(level, metric, signal));
			if (!answer) return;
			this.data = answer.value;
		} catch (error) {
			this.data = null;
			this.error = errorMessage(error);
		}
		this.loading = false;
	}
}

export interface ChoroplethClasses {
	/** strictly ascending thresholds, as a MapLibre `step` needs */
	thresholds: number[];
	/** one more colour than thresholds */
	colors: string[];
}

/**
 * Quantile breaks repeat where many areas share a value (most grids have 0 or 1 overdue
 * issues); a `step` expression needs strictly ascending stops, so repeats collapse, a break
 * at or below the smallest value (an empty first class) goes, and the remaining classes take
 * colours spread over the whole ramp.
 */
export function classesOf(breaks: number[], min: number, ramp: readonly string[] = CHOROPLETH_RAMP): ChoroplethClasses {
	const thresholds: number[] = [];
	for (const b of breaks) {
		if (b > min && (thresholds.length === 0 || b > thresholds[thresholds.length - 1])) thresholds.push(b);
	}
	const n = thresholds.length + 1;
	const colors = Array.from({ length: n }, (_, i) => ramp[n === 1 ? ramp.length - 1 : Math.round((i * (ramp.length - 1)) / (n - 1))]);
	return { thresholds, colors };
}
