/**
 * Narrowing a work list (issue 21, community admin): by ledger category, by grid, to the
 * overdue cases, by 五事 matter type. One SQL condition, and the choices a page offers (the
 * caller's own grids only); http/cases.ts reads the filter from the page's URL and the API's query string.
 */
import type { Knex } from 'knex';
import { fail } from '../platform/errors.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { overdueSql } from '../../domain/issues.js';
import type { MatterType } from '../../domain/glossary.js';

export interface CaseFilter {
	category?: string;
	/** a grid's code: the cases its current outline covers */
	grid?: string;
	/** only the cases past their deadline */
	overdue?: boolean;
	matter_type?: MatterType;
}

/** The parameter names, as the URL and the API carry them. */
export const FILTER_PARAMS = ['category', 'grid', 'overdue', 'matter_type'] as const;

/** Whether a filter narrows anything. */
export function isFiltered(filter: CaseFilter): boolean {
	return Boolean(filter.category || filter.grid || filter.overdue || filter.matter_type);
}

/**
 * The filter as a condition over `i` (issues) with its bindings. A grid the caller names is
 * looked up by code: an unknown code is a 400, not an empty list that looks like "nothing to do".
 */
export async function filterCondition(knex: Knex, filter: CaseFilter): Promise<{ sql: string; bindings: Record<string, unknown> }> {
	const parts: string[] = [];
	const bindings: Record<string, unknown> = {};
	if (filter.category) {
		if (!(await knex('case_categories').where({ code: filter.category }).first('code'))) fail(400, `category: no ledger category '${filter.category}'`);
		parts.push('i.category = :filter_category');
		bindings.filter_category = filter.category;
	}
	if (filter.grid) {
		if (!(await knex('grids').where({ code: filter.grid }).first('id'))) fail(400, `grid: no grid with code '${filter.grid}'`);
		parts.push('ST_Covers((SELECT g.geom FROM grids g WHERE g.code = :filter_grid), i.geom)');
		bindings.filter_grid = filter.grid;
	}
	if (filter.overdue) parts.push(overdueSql('i'));
	if (filter.matter_type) {
		parts.push('i.matter_type = :filter_matter');
		bindings.filter_matter = filter.matter_type;
	}
	return { sql: parts.length ? parts.join(' AND ') : 'true', bindings };
}

export interface FilterChoices {
	/** codes of the active ledger categories; pages name them from the i18n table */
	categories: string[];
	/** the grids of the caller's territory (every grid for county-wide readers), by community */
	grids: { code: string; name: string; community: string }[];
}

/** What the filter bar offers: the active ledger categories, and the grids the caller may read. */
export async function filterChoices(knex: Knex, scope: Scope): Promise<FilterChoices> {
	const inScope = scopeFilter(scope, 'g.geom', 'area');
	const [categories, grids] = await Promise.all([
		knex('case_categories').where({ active: true }).orderBy('sort').pluck('code') as Promise<string[]>,
		knex.raw(
			`SELECT g.code, g.name, c.name AS community FROM grids g JOIN communities c ON c.id = g.community_id
			 WHERE ${inScope.sql} ORDER BY c.code, g.code`,
			inScope.bindings
		)
	]);
	return { categories, grids: grids.rows };
}
