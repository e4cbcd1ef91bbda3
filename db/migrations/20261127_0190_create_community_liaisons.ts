import type { Knex } from 'knex';

/** The "N" of 4+N: a community's liaison departments (联系单位), one of them the lead unit (牵头单位). */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('community_liaisons', (t) => {
		t.increments('id');
		t.integer('community_id').notNullable().references('communities.id').onDelete('CASCADE');
		t.integer('department_id').notNullable().references('departments.id').onDelete('CASCADE');
		t.boolean('is_lead').notNullable().defaultTo(false);
		t.unique(['community_id', 'department_id']);
	});
	// At most one lead unit per community.
	await knex.raw(
		'CREATE UNIQUE INDEX community_liaisons_one_lead ON community_liaisons (community_id) WHERE is_lead'
	);
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('community_liaisons');
}
