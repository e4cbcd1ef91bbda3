import type { Knex } from 'knex';

/**
 * A reply written for the reporter and the public on a transition (issue 20, point 1), apart
 * from the event's note, which is internal: staff write names, phone numbers and other
 * people's business into notes, so a note never leaves through Open311 or the reporter's
 * link; the public reply is the only text that does.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('issue_events', (t) => {
		t.text('public_reply');
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('issue_events', (t) => {
		t.dropColumn('public_reply');
	});
}
