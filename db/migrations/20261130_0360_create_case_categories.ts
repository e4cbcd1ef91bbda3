import type { Knex } from 'knex';

/**
 * The 12 problem ledgers (十二本问题台账) as data an admin edits: each category's default
 * handler when a case is created (五事分流 sends small things to the grid worker, community
 * matters to the community, the rest to a county department) and, for 'department', which
 * one. The department is linked by the data that holds departments (the sample, an import);
 * a category whose department is missing falls back to the community.
 */
const DEFAULT_HANDLERS: [code: string, handler: string, sort: number][] = [
	['environment', 'grid_worker', 1],
	['infrastructure', 'department', 2],
	['parking', 'community', 3],
	['property_management', 'community', 4],
	['safety_hazard', 'department', 5],
	['dispute', 'community', 6],
	['public_service', 'community', 7],
	['illegal_construction', 'department', 8],
	['municipal_facility', 'department', 9],
	['drainage', 'department', 10],
	['greenery', 'grid_worker', 11],
	['noise', 'grid_worker', 12]
];

export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('case_categories', (t) => {
		t.text('code').primary();
		t.text('handler').notNullable();
		t.check("handler in ('grid_worker', 'community', 'department')", [], 'case_categories_handler_known');
		t.integer('department_id').references('departments.id').onDelete('SET NULL');
		t.integer('sort').notNullable().defaultTo(0);
		t.boolean('active').notNullable().defaultTo(true);
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await knex('case_categories').insert(DEFAULT_HANDLERS.map(([code, handler, sort]) => ({ code, handler, sort })));
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('case_categories');
}
