import type { Knex } from 'knex';

/**
 * 认领 (issue 14, part 4): a registered party member claims a service item (once per item; no
 * more claims than the item's slots, checked by the application under a row lock) and, once
 * the service is done, the day, the hours given (0 < hours ≤ 24) and the residents served.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('service_claims', (t) => {
		t.increments('id');
		t.integer('item_id').notNullable().references('service_items.id').onDelete('CASCADE');
		t.integer('member_id').notNullable().references('party_members.id');
		t.timestamp('claimed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.date('done_on');
		t.decimal('hours', 5, 1);
		t.check('hours IS NULL OR (hours > 0 AND hours <= 24)', [], 'service_claims_hours_range');
		t.integer('people_served');
		t.check('people_served IS NULL OR people_served >= 0', [], 'service_claims_people_served_not_negative');
		t.text('note');
		t.text('recorded_by').notNullable();
		t.check('(done_on IS NULL) = (hours IS NULL)', [], 'service_claims_done_with_hours');
		t.unique(['item_id', 'member_id']);
		t.index(['member_id']);
		t.index(['done_on']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('service_claims');
}
