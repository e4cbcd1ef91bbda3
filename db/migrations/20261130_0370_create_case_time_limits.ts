import type { Knex } from 'knex';

/**
 * Time limits in working hours (work_calendar) per 五事分流 matter type × urgency, as data an
 * admin edits. Defaults: an urgent matter (急事) graded 紧急 in half a working day, a
 * practical one (实事) in a working week, a difficult one (难事) in two months of working
 * days; 紧急 halves the limit or better.
 */
const LIMITS: [matter: string, general: number, urgent: number][] = [
	['urgent', 24, 4],
	['practical', 40, 16],
	['important', 80, 40],
	['major', 160, 80],
	['difficult', 320, 160]
];

export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('case_time_limits', (t) => {
		t.text('matter_type').notNullable();
		t.text('urgency').notNullable();
		t.integer('hours').notNullable();
		t.primary(['matter_type', 'urgency']);
		t.check("matter_type in ('major', 'practical', 'important', 'urgent', 'difficult')", [], 'case_time_limits_matter_known');
		t.check("urgency in ('general', 'urgent')", [], 'case_time_limits_urgency_known');
		t.check('hours > 0 and hours <= 10000', [], 'case_time_limits_hours_range');
		t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await knex('case_time_limits').insert(
		LIMITS.flatMap(([matter_type, general, urgent]) => [
			{ matter_type, urgency: 'general', hours: general },
			{ matter_type, urgency: 'urgent', hours: urgent }
		])
	);
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('case_time_limits');
}
