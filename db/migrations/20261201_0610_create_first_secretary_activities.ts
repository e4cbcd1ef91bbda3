import type { Knex } from 'knex';

/**
 * 三个一 (issue 14): what a community's First Secretary (第一书记) owes it — a visit a month
 * (走访), a report a quarter (汇报), a joint meeting (共驻共建联席会) every half-year — is met
 * by these records: the kind, the community, the First Secretary it counts for (the person
 * holding the community's `first_secretary` assignment when it was recorded), the China day
 * it happened, where, a note, and who recorded it. A meeting's attendees, matters and
 * agreements hang off its row (later migrations).
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('first_secretary_activities', (t) => {
		t.increments('id');
		t.text('kind').notNullable();
		t.check("kind in ('visit', 'report', 'meeting')", [], 'first_secretary_activities_kind_known');
		t.integer('community_id').notNullable().references('communities.id').onDelete('CASCADE');
		t.integer('person_id').references('people.id').onDelete('SET NULL');
		t.date('held_on').notNullable();
		t.text('place');
		t.text('note');
		t.integer('recorded_by').references('users.id').onDelete('SET NULL');
		t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['community_id', 'kind', 'held_on']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('first_secretary_activities');
}
