import type { Knex } from 'knex';

/**
 * Indexes on the columns that point at a case, so deleting cases (a test's or a bench's own,
 * an admin's clean-up) does not scan every issue, flood spot and photo once per deleted row:
 * without them, removing 600 cases from 120,000 took minutes.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.raw('CREATE INDEX issues_duplicate_of_index ON issues (duplicate_of) WHERE duplicate_of IS NOT NULL');
	await knex.raw('CREATE INDEX flood_spots_issue_id_index ON flood_spots (issue_id) WHERE issue_id IS NOT NULL');
	await knex.raw('CREATE INDEX case_photos_event_id_index ON case_photos (event_id) WHERE event_id IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
	await knex.raw('DROP INDEX case_photos_event_id_index');
	await knex.raw('DROP INDEX flood_spots_issue_id_index');
	await knex.raw('DROP INDEX issues_duplicate_of_index');
}
