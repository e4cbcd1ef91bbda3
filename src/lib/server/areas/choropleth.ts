/**
 * Choropleth values: for every grid or community, its issues per 100 households or its
 * overdue issues, with quantile class breaks. Issues count in an area by point in polygon
 * (ST_Covers, so an issue on a shared edge counts in both, as the area panel counts it);
 * households are the buildings' whose derived grid lies in the area. A territory sees the
 * areas reaching into it, counted over the issues and buildings inside it, as the area
 * panel counts them; outlines alone (not signed in) carry no values.
 */
import type { Knex } from 'knex';
import * as visits from '../field/visits.js';
import { overdueSql } from '../../domain/issues.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { held } from '../platform/held.js';

export const CHOROPLETH_LEVELS = ['grid', 'community'] as const;
export type ChoroplethLevel = (typeof CHOROPLETH_LEVELS)[number];
/**
 * Issue metrics, and three coverage metrics (DESIGN §3) as map styles: households per grid
 * worker against the 300–500 norm (no value where no worker is assigned), buildings without a
 * building head, and visit coverage (issue 13): the percentage of an area's buildings visited
 * at least once in `month` (China time, default this month; visits.ts counts it).
 */
export const CHOROPLETH_METRICS = ['issues_per_100_households', 'overdue', 'households_per_worker', 'buildings_without_head', 'visit_coverage'] as const;
export type ChoroplethMetric = (typeof CHOROPLETH_METRICS)[number];

export interface ChoroplethValue {
	code: string;
	/** null where the metric is undefined (an area without households) */
	value: number | null;
}

export interface Choropleth {
	level: ChoroplethLevel;
	metric: ChoroplethMetric;
	/** the month of `visit_coverage`, YYYY-MM */
	month?: string;
	values: ChoroplethValue[];
	/** four quantile breaks (20 %, 40 %, 60 %, 80 %) of the defined values: five classes */
	breaks: number[];
}

// One statement per level, written out whole so each reads on its own. The visibility
// predicates come from territory.ts (code, not input) and bind :territory.
type Visible = { area: string; issue: string; building: string };
const CURRENT = held('w');
/** Coverage over a set of buildings `b` (already filtered): those with no current head. */
const HEADLESS = `NOT EXISTS (SELECT 1 FROM assignments w WHERE w.building_id = b.id AND w.role = 'building_head' AND ${CURRENT})`;
const SQL: Record<ChoroplethLevel, (v: Visible) => string> = {
	grid: (v) => `
		SELECT a.code, n.issues, n.overdue, coalesce(h.households, 0) AS households, h.headless,
			(SELECT count(DISTINCT w.person_id)::int FROM assignments w WHERE w.grid_id = a.id AND w.role = 'grid_worker' AND ${CURRENT}) AS workers
		FROM grids a
		CROSS JOIN LATERAL (
			SELECT count(*)::int AS issues, (count(*) FILTER (WHERE ${overdueSql('i')}))::int AS overdue
			FROM issues i WHERE ST_Covers(a.geom, i.geom) AND ${v.issue}
		) n
		CROSS JOIN LATERAL (
			SELECT sum(b.households)::int AS households, (count(*) FILTER (WHERE ${HEADLESS}))::int AS headless
			FROM buildings b WHERE b.grid_id = a.id AND ${v.building}
		) h
		WHERE ${v.area}
		ORDER BY a.code`,
	community: (v) => `
		SELECT a.code, n.issues, n.overdue, coalesce(h.households, 0) AS households, h.headless,
			(SELECT count(DISTINCT w.person_id)::int FROM assignments w JOIN grids g ON g.id = w.grid_id
			 WHERE g.community_id = a.id AND w.role = 'grid_worker' AND ${CURRENT}) AS workers
		FROM communities a
		CROSS JOIN LATERAL (
			SELECT count(*)::int AS issues, (count(*) FILTER (WHERE ${overdueSql('i')}))::int AS overdue
			FROM issues i WHERE ST_Covers(a.geom, i.geom) AND ${v.issue}
		) n
		CROSS JOIN LATERAL (
			SELECT sum(b.households)::int AS households, (count(*) FILTER (WHERE ${HEADLESS}))::int AS headless
			FROM buildings b JOIN grids g ON g.id = b.grid_id
			WHERE g.community_id = a.id AND ${v.building}
		) h
		WHERE ${v.area}
		ORDER BY a.code`
};

type Row = { code: string; issues: number; overdue: number; households: number; headless: number; workers: number };

/** The values the scope may read; callers turn an outlines-only scope away before asking. */
export async function read(knex: Knex, level: ChoroplethLevel, metric: ChoroplethMetric, scope: Scope = { kind: 'all' }, month?: string): Promise<Choropleth> {
	if (metric === 'visit_coverage') {
		const at = month ?? visits.currentMonth();
		const values = (await visits.coverage(knex, scope, level, at)).map((a) => ({ code: a.code, value: a.share === null ? null : round2(a.share * 100) }));
		const defined = values.map((v) => v.value).filter((v): v is number => v !== null);
		return { level, metric, month: at, values, breaks: quantileBreaks(defined, [0.2, 0.4, 0.6, 0.8]) };
	}
	const area = scopeFilter(scope, 'a.geom', 'area');
	const issue = scopeFilter(scope, 'i.geom', 'point');
	const building = scopeFilter(scope, 'b.anchor', 'point');
	const sql = SQL[level]({ area: area.sql, issue: issue.sql, building: building.sql });
	const { rows } = await knex.raw<{ rows: Row[] }>(sql, { ...area.bindings, ...issue.bindings, ...building.bindings });
	const values = rows.map((r) => ({ code: r.code, value: metricOf(metric, r) }));
	const defined = values.map((v) => v.value).filter((v): v is number => v !== null);
	return { level, metric, values, breaks: quantileBreaks(defined, [0.2, 0.4, 0.6, 0.8]) };
}

function metricOf(metric: ChoroplethMetric, r: Row): number | null {
	if (metric === 'overdue') return Number(r.overdue);
	if (metric === 'buildings_without_head') return Number(r.headless ?? 0);
	if (metric === 'households_per_worker') return Number(r.workers) > 0 ? round2(Number(r.households) / Number(r.workers)) : null;
	const households = Number(r.households);
	return households > 0 ? round2((Number(r.issues) * 100) / households) : null;
}

/**
 * Quantiles by linear interpolation between order statistics (what PostgreSQL's
 * percentile_cont gives), rounded to two decimals. Repeated breaks are kept, so a client
 * always gets four; an empty list gives zeros.
 */
export function quantileBreaks(values: number[], probabilities: number[]): number[] {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return probabilities.map(() => 0);
	return probabilities.map((p) => {
		const position = p * (sorted.length - 1);
		const below = Math.floor(position);
		const above = Math.min(below + 1, sorted.length - 1);
		return round2(sorted[below] + (sorted[above] - sorted[below]) * (position - below));
	});
}

function round2(n: number): number {
	return Math.round(n * 100) / 100;
}
