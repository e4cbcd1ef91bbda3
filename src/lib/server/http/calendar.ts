/**
 * The work calendar over HTTP: reading it, and an admin loading a year. The calendar itself
 * lives in platform/calendar.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { parseJsonObject } from './params.js';
import { allow } from './allow.js';
import { fail } from '../platform/errors.js';
import * as calendar from '../platform/calendar.js';
import { parseCalendarYear, type CalendarYear } from '../../domain/work-calendar.js';

/** GET /api/work-calendar: the loaded years and their exceptions (any signed-in user: lists show deadlines from it). */
export async function getCalendar(call: Call): Promise<Reply> {
	allow(call.user, 'calendar.read');
	return json(await calendar.summary(call.db.knex));
}

/** PUT /api/work-calendar: an admin loads a year ({year, source, provisional?, days: [{day, working, name}]}). */
export async function putYear(call: Call): Promise<Reply> {
	const user = allow(call.user, 'calendar.load');
	const body = parseJsonObject(await call.body(256 * 1024), '{"year": 2027, "source": "…", "days": [{"day": "2027-01-01", "working": false, "name": "元旦"}, …]}');
	let year: CalendarYear;
	try {
		year = parseCalendarYear(body);
	} catch (error) {
		fail(400, (error as Error).message);
	}
	await calendar.loadYear(call.db.knex, user.username, year);
	return json({ year: year.year, days: year.days.length, provisional: year.provisional });
}
