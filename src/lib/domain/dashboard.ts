/**
 * The county dashboard's figures (issue 14, part 6): the seed's tallies of the First
 * Secretary model, each computed from records for a chosen period. Shared by the server module
 * and the page, so both name the same figures in the same order.
 */
export const DASHBOARD_FIGURES = ['opinions', 'solved_on_site', 'meetings', 'matters', 'projects', 'agreements', 'people_served'] as const;
export type DashboardFigure = (typeof DASHBOARD_FIGURES)[number];

/** What a record behind a figure is. */
export const RECORD_KINDS = ['demand', 'matter_raised', 'matter_resolved', 'meeting', 'project', 'agreement', 'claim'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Quick periods the page offers, relative to today (China). */
export const PERIOD_PRESETS = ['month', 'quarter', 'half', 'year', 'last_year'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The first and last day (inclusive, YYYY-MM-DD) of a preset period around `today`. */
export function presetPeriod(preset: PeriodPreset, today: string): { from: string; to: string } {
	const y = Number(today.slice(0, 4));
	const m = Number(today.slice(5, 7));
	const pad = (n: number) => String(n).padStart(2, '0');
	const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
	const span = (year: number, first: number, last: number) => ({ from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDay(year, last))}` });
	switch (preset) {
		case 'month':
			return span(y, m, m);
		case 'quarter': {
			const q = Math.floor((m - 1) / 3) * 3 + 1;
			return span(y, q, q + 2);
		}
		case 'half':
			return m <= 6 ? span(y, 1, 6) : span(y, 7, 12);
		case 'year':
			return span(y, 1, 12);
		case 'last_year':
			return span(y - 1, 1, 12);
	}
}
