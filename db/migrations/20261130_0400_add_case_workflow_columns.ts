import type { Knex } from 'knex';

/**
 * What the closed loop needs on an issue (a case): a version for If-Match, the handler it is
 * dispatched to, the owner chain frozen at creation, who reported it (an account, or a
 * resident with a secret link for the rating), the rating, a duplicate link, the backlog's
 * reason and review date, who resolved it (verification goes to someone else) and the
 * client's idempotency key (a phone retrying a report sends it once). On its events, the
 * account that acted and what kind of event it is.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('issues', (t) => {
		t.integer('version').notNullable().defaultTo(1);
		t.text('handler_kind');
		t.check("handler_kind in ('grid_worker', 'community', 'department')", [], 'issues_handler_kind_known');
		t.integer('handler_grid_id').references('grids.id').onDelete('SET NULL');
		t.integer('handler_community_id').references('communities.id').onDelete('SET NULL');
		t.integer('handler_department_id').references('departments.id').onDelete('SET NULL');
		t.jsonb('owner_chain');
		t.integer('reported_by').references('users.id').onDelete('SET NULL');
		t.text('reporter_name');
		t.text('reporter_contact');
		t.text('reporter_token_hash');
		t.integer('rating');
		t.check('rating between 1 and 5', [], 'issues_rating_range');
		t.text('rating_source');
		t.check("rating_source in ('reporter', 'call')", [], 'issues_rating_source_known');
		t.integer('duplicate_of').references('issues.id').onDelete('SET NULL');
		t.text('backlog_reason');
		t.date('backlog_review_on');
		t.integer('resolved_by').references('users.id').onDelete('SET NULL');
		t.text('address');
		t.text('media_url');
		t.text('idempotency_key').unique();
		t.index(['handler_kind', 'handler_grid_id']);
		t.index(['handler_department_id']);
	});
	await knex.raw('CREATE SEQUENCE case_code_seq');
	await knex.schema.alterTable('issue_events', (t) => {
		t.integer('actor_user_id').references('users.id').onDelete('SET NULL');
		t.text('actor_name');
		t.text('kind').notNullable().defaultTo('transition');
		t.check("kind in ('transition', 'created', 'acknowledged', 'rated', 'duplicate', 'edited')", [], 'issue_events_kind_known');
		t.jsonb('detail');
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('issue_events', (t) => {
		t.dropChecks(['issue_events_kind_known']);
		t.dropColumns('actor_user_id', 'actor_name', 'kind', 'detail');
	});
	await knex.raw('DROP SEQUENCE case_code_seq');
	await knex.schema.alterTable('issues', (t) => {
		t.dropChecks(['issues_handler_kind_known', 'issues_rating_range', 'issues_rating_source_known']);
		t.dropIndex(['handler_kind', 'handler_grid_id']);
		t.dropIndex(['handler_department_id']);
		t.dropColumns(
			'version', 'handler_kind', 'handler_grid_id', 'handler_community_id', 'handler_department_id', 'owner_chain',
			'reported_by', 'reporter_name', 'reporter_contact', 'reporter_token_hash', 'rating', 'rating_source', 'duplicate_of',
			'backlog_reason', 'backlog_review_on', 'resolved_by', 'address', 'media_url', 'idempotency_key'
		);
	});
}
