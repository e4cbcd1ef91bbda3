import type { Knex } from 'knex';

/** 县级部门 county departments, which receive escalated issues and liaise with communities. */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('departments', (t) => {
		t.increments('id');
		t.text('code').notNullable().unique();
		t.text('name').notNullable();
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('departments');
}
