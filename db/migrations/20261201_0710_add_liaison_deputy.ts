import type { Knex } from 'knex';

/**
 * 兼职副书记: each liaison department names one of its people part-time deputy secretary of
 * the community it liaises with (issue 14). The roles table has no such role and the post
 * belongs to the link, not to an area, so it is a person on the link; it goes with the link.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('community_liaisons', (t) => {
		t.integer('deputy_person_id').references('people.id').onDelete('SET NULL');
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('community_liaisons', (t) => {
		t.dropColumn('deputy_person_id');
	});
}
