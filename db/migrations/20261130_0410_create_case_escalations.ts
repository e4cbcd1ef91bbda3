import type { Knex } from 'knex';

/**
 * 社区吹哨、部门报到: a community escalates a case to one or more departments, each of which
 * must acknowledge within its own limit (departments.ack_limit_hours, working hours). A late
 * acknowledgement stays visible as late: both instants are kept.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('departments', (t) => {
		t.integer('ack_limit_hours').notNullable().defaultTo(8);
		t.check('ack_limit_hours > 0 and ack_limit_hours <= 1000', [], 'departments_ack_limit_range');
	});
	await knex.schema.createTable('case_escalations', (t) => {
		t.increments('id');
		t.integer('issue_id').notNullable().references('issues.id').onDelete('CASCADE');
		t.integer('department_id').notNullable().references('departments.id').onDelete('CASCADE');
		t.timestamp('escalated_at', { useTz: true }).notNullable();
		t.timestamp('ack_due_at', { useTz: true }).notNullable();
		t.timestamp('acknowledged_at', { useTz: true });
		t.integer('acknowledged_by').references('users.id').onDelete('SET NULL');
		t.unique(['issue_id', 'department_id']);
		t.index(['department_id', 'acknowledged_at']);
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('case_escalations');
	await knex.schema.alterTable('departments', (t) => {
		t.dropChecks(['departments_ack_limit_range']);
		t.dropColumn('ack_limit_hours');
	});
}
