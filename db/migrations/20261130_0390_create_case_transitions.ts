import type { Knex } from 'knex';

/**
 * Who may move a case from one status to another (DESIGN §4), as data the server enforces.
 * `reach` is what the caller must hold over the case besides the role:
 *   any       — nothing more (the county admin)
 *   territory — the case lies in the caller's territory (a community admin's communities)
 *   handler   — the caller handles it now: the grid worker of its grid, the department it was
 *               dispatched or escalated to, the community admin of its community
 *   reporter  — the caller reported it (即知即办: resolved on the spot by whoever found it)
 * `not_resolver` keeps verification with someone other than the one who resolved it.
 */
type Row = [from: string, to: string, role: string, reach: string, notResolver?: boolean];
const HANDLERS = ['grid_worker', 'department', 'community_admin'];
const ROWS: Row[] = [
	['reported', 'registered', 'community_admin', 'territory'],
	['reported', 'registered', 'admin', 'any'],
	['reported', 'rejected', 'community_admin', 'territory'],
	['reported', 'rejected', 'admin', 'any'],
	['reported', 'resolved', 'grid_worker', 'reporter'],
	['reported', 'resolved', 'community_admin', 'reporter'],
	['registered', 'dispatched', 'community_admin', 'territory'],
	['registered', 'dispatched', 'admin', 'any'],
	['registered', 'escalated', 'community_admin', 'territory'],
	['registered', 'escalated', 'admin', 'any'],
	['registered', 'rejected', 'community_admin', 'territory'],
	['registered', 'rejected', 'admin', 'any'],
	...HANDLERS.map((role): Row => ['dispatched', 'in_progress', role, 'handler']),
	['dispatched', 'escalated', 'community_admin', 'territory'],
	['dispatched', 'escalated', 'admin', 'any'],
	// An escalated department answers the whistle (报到) by taking the case up.
	['escalated', 'in_progress', 'department', 'handler'],
	...HANDLERS.map((role): Row => ['returned', 'in_progress', role, 'handler']),
	...HANDLERS.map((role): Row => ['in_progress', 'resolved', role, 'handler']),
	['in_progress', 'escalated', 'community_admin', 'territory'],
	['in_progress', 'escalated', 'admin', 'any'],
	['in_progress', 'backlog', 'community_admin', 'territory'],
	['in_progress', 'backlog', 'admin', 'any'],
	['backlog', 'in_progress', 'community_admin', 'territory'],
	['backlog', 'in_progress', 'admin', 'any'],
	['resolved', 'verified', 'community_admin', 'territory', true],
	['resolved', 'verified', 'admin', 'any', true],
	['resolved', 'returned', 'community_admin', 'territory', true],
	['resolved', 'returned', 'admin', 'any', true],
	['verified', 'closed', 'community_admin', 'territory'],
	['verified', 'closed', 'admin', 'any']
];

export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('case_transitions', (t) => {
		t.increments('id');
		t.text('from_status').notNullable();
		t.text('to_status').notNullable();
		t.text('role').notNullable();
		t.text('reach').notNullable();
		t.check("reach in ('any', 'territory', 'handler', 'reporter')", [], 'case_transitions_reach_known');
		t.boolean('not_resolver').notNullable().defaultTo(false);
		t.unique(['from_status', 'to_status', 'role']);
	});
	await knex('case_transitions').insert(
		ROWS.map(([from_status, to_status, role, reach, notResolver]) => ({ from_status, to_status, role, reach, not_resolver: notResolver ?? false }))
	);
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('case_transitions');
}
