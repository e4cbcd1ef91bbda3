import type { Knex } from 'knex';

/**
 * A resident may reopen their report (issue 21): when a case is resolved but the problem is
 * still there, the reporter's private link moves it from `resolved` to `reopened`, within 14
 * days of the resolution and with a reason. The case stays with its handler, who takes it up
 * again (`reopened` → `in_progress`); the evaluation counts it as rework, as it does a
 * `returned` case.
 *
 * The resident has no account, so their row names the pseudo-role `resident` with reach
 * `reporter`: no signed-in role ever matches it; the reporter's link (the token whose hash the
 * case keeps) is what lets the move through (cases.ts `reopen`).
 */
const STATUSES_BEFORE = ['reported', 'registered', 'rejected', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed', 'returned', 'escalated', 'backlog'];
const STATUSES_AFTER = [...STATUSES_BEFORE, 'reopened'];
const HANDLERS = ['grid_worker', 'department', 'community_admin'];
const ROWS = [
	{ from_status: 'resolved', to_status: 'reopened', role: 'resident', reach: 'reporter' },
	...HANDLERS.map((role) => ({ from_status: 'reopened', to_status: 'in_progress', role, reach: 'handler' }))
];

async function statusCheck(knex: Knex, statuses: string[]): Promise<void> {
	// A check constraint cannot be altered in place: dropped and added again, in this migration's transaction.
	await knex.raw('ALTER TABLE issues DROP CONSTRAINT issues_status_known');
	await knex.raw(`ALTER TABLE issues ADD CONSTRAINT issues_status_known CHECK (status IN (${statuses.map((s) => `'${s}'`).join(', ')}))`);
}

export async function up(knex: Knex): Promise<void> {
	await statusCheck(knex, STATUSES_AFTER);
	await knex('case_transitions').insert(ROWS.map((r) => ({ ...r, not_resolver: false })));
}

export async function down(knex: Knex): Promise<void> {
	// Reopened cases go back to their handler's hands as if returned, so the old check holds.
	await knex('issues').where({ status: 'reopened' }).update({ status: 'returned' });
	await knex('case_transitions').where({ to_status: 'reopened' }).orWhere({ from_status: 'reopened' }).del();
	await statusCheck(knex, STATUSES_BEFORE);
}
