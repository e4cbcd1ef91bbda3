import type { Knex } from 'knex';
import { addGeometryColumn } from '../geometry-column.js';

/**
 * 服务事项 (issue 14, part 4): a piece of service in a community that registered party members
 * claim (双报到): taken from the demand list (one item per demand at most; it takes the
 * demand's community, category, title and point) or posted by the community, in one of the
 * five service categories, needing `slots` members. Its point, when it has one, lies in the
 * community (checked by the application).
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('service_items', (t) => {
		t.increments('id');
		t.integer('community_id').notNullable().references('communities.id').onDelete('CASCADE');
		t.integer('demand_id').unique().references('demands.id').onDelete('SET NULL');
		t.text('category').notNullable();
		t.check("category in ('party_building', 'culture_sports', 'poverty_relief', 'health', 'volunteering')", [], 'service_items_category_known');
		t.text('title').notNullable();
		t.check('length(btrim(title)) > 0', [], 'service_items_title_present');
		t.text('description');
		t.integer('slots').notNullable().defaultTo(1);
		t.check('slots between 1 and 50', [], 'service_items_slots_range');
		t.text('posted_by').notNullable();
		t.timestamp('posted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.index(['community_id']);
	});
	await addGeometryColumn(knex, 'service_items', 'geom', 'Point', { nullable: true });
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('service_items');
}
