import type { Knex } from 'knex';

/**
 * What Open311 (and the public report form's duplicate hint) may show of a category's cases
 * (issue 20, point 1). Residents report disputes between neighbours, a household's own needs,
 * a neighbour's noise or building work: published with their exact point and text, such a
 * report names a home. Each category says how much leaves the server:
 * - exact: the point, the address, the description and the link to media;
 * - approximate: the point rounded to 0.001° (about 100 m), no address, description or media;
 * - withheld: no point, address, description or media — only the category, the status and
 *   the replies written as public;
 * - internal: not published at all (not a service, no request).
 * An admin changes it on /admin/cases; the defaults below are the county's starting point.
 */
const DEFAULTS: [code: string, publication: string][] = [
	['dispute', 'withheld'],
	['public_service', 'withheld'],
	['noise', 'approximate'],
	['illegal_construction', 'approximate']
];

export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('case_categories', (t) => {
		t.text('publication').notNullable().defaultTo('exact');
		t.check("publication in ('exact', 'approximate', 'withheld', 'internal')", [], 'case_categories_publication_known');
	});
	for (const [code, publication] of DEFAULTS) await knex('case_categories').where({ code }).update({ publication });
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('case_categories', (t) => {
		t.dropChecks(['case_categories_publication_known']);
		t.dropColumn('publication');
	});
}
