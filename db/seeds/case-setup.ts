/**
 * The case loop's seed data for the sample: the department each ledger category escalates to
 * (the generator's routing), this year's and next year's work calendar, the handler of every
 * sample case by its category's rule, residents' ratings of two closed cases in three, and the
 * demo Open311 key. Demo only, like the accounts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { CATEGORY_DEPARTMENT } from './generator/issues.js';
import { parseCalendarYear } from '../../src/lib/domain/work-calendar.js';

/** The demo key of Open311 clients: README marks it demo-only. */
export const DEMO_OPEN311_KEY = 'demo-open311-key';

export function calendarFiles(): string[] {
	const dir = path.resolve('db/seeds/work-calendar');
	return fs.readdirSync(dir).filter((f) => /^\d{4}\.json$/.test(f)).sort().map((f) => path.join(dir, f));
}

export async function setUpCases(trx: Knex): Promise<void> {
	for (const [category, name] of Object.entries(CATEGORY_DEPARTMENT)) {
		await trx.raw(`UPDATE case_categories SET department_id = (SELECT id FROM departments WHERE name = :name) WHERE code = :category`, { name, category });
	}
	for (const file of calendarFiles()) {
		const year = parseCalendarYear(JSON.parse(fs.readFileSync(file, 'utf8')));
		await trx('work_calendar_years').insert({ year: year.year, source: year.source, provisional: year.provisional }).onConflict('year').merge();
		await trx('work_calendar').where({ year: year.year }).del();
		if (year.days.length) await trx('work_calendar').insert(year.days.map((d) => ({ ...d, year: year.year })));
	}
	// Sample cases have no handler of their own: the rule gives them one, at their grid.
	await trx.raw(`
		WITH placed AS (
			SELECT i.id, g.id AS grid_id, g.community_id FROM issues i LEFT JOIN LATERAL covering_grid(i.geom) g ON true
			WHERE i.handler_kind IS NULL
		)
		UPDATE issues i SET
			handler_kind = CASE WHEN cc.handler = 'department' AND cc.department_id IS NOT NULL THEN 'department'
				WHEN cc.handler = 'grid_worker' AND p.grid_id IS NOT NULL THEN 'grid_worker' ELSE 'community' END,
			handler_department_id = CASE WHEN cc.handler = 'department' THEN cc.department_id END,
			handler_grid_id = p.grid_id,
			handler_community_id = p.community_id
		FROM placed p, case_categories cc
		WHERE p.id = i.id AND cc.code = i.category`);
	// Residents rate two closed cases in three (群众测评), mostly well. Only the rating is kept:
	// a history event would change issue_events, which is the generator's (bench-load.test.ts).
	await trx.raw(`
		UPDATE issues i SET rating = CASE i.id % 10 WHEN 0 THEN 2 WHEN 1 THEN 3 WHEN 2 THEN 4 WHEN 3 THEN 4 WHEN 4 THEN 4 ELSE 5 END, rating_source = 'reporter'
		WHERE i.status = 'closed' AND i.id % 3 <> 0`);
	await trx('api_keys')
		.insert({ name: 'Demo Open311 client (demo only)', key_hash: createHash('sha256').update(DEMO_OPEN311_KEY).digest('hex'), source: 'resident' })
		.onConflict('key_hash')
		.ignore();
}
