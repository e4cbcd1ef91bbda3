import type { Knex } from 'knex';

/**
 * Photos of visits share the case photos' storage: the phone uploads one to POST /api/photos
 * (checked, re-encoded, pending under a token) and the visit names the token. A photo belongs
 * to a case or to a visit, never both; a photo attached to a visit is no longer pending.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('case_photos', (t) => {
		t.integer('visit_id').references('visits.id').onDelete('CASCADE');
		t.check('issue_id IS NULL OR visit_id IS NULL', [], 'case_photos_one_owner');
		t.index(['visit_id']);
	});
}

export async function down(knex: Knex): Promise<void> {
	// Photos of visits would become pending (and be swept as such): remove them with the column.
	await knex.raw('DELETE FROM case_photos WHERE visit_id IS NOT NULL');
	await knex.schema.alterTable('case_photos', (t) => {
		t.dropChecks(['case_photos_one_owner']);
		t.dropIndex(['visit_id']);
		t.dropColumn('visit_id');
	});
}
