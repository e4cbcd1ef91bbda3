/**
 * The work calendar in the database: the years an admin loaded (work_calendar_years) and
 * their exceptions, read once and kept for a minute (every case write asks for them), and
 * the load of a year, which replaces that year whole and leaves an audit row.
 */
import type { Knex } from 'knex';
import { addWorkingHours, workingHoursBetween, type CalendarExceptions, type CalendarYear } from '../../domain/work-calendar.js';
import { audit } from './audit.js';

const TTL_MS = 60_000;
let cached: { at: number; exceptions: CalendarExceptions } | null = null;

/** The exceptions of every loaded year. */
export async function exceptions(knex: Knex): Promise<CalendarExceptions> {
	if (cached && Date.now() - cached.at < TTL_MS) return cached.exceptions;
	const rows: { day: string; working: boolean; name: string }[] = (
		await knex.raw(`SELECT to_char(day, 'YYYY-MM-DD') AS day, working, name FROM work_calendar`)
	).rows;
	const map = new Map(rows.map((r) => [r.day, { working: r.working, name: r.name }]));
	cached = { at: Date.now(), exceptions: map };
	return map;
}

export function forgetCalendar(): void {
	cached = null;
}

/** When `hours` working hours after `start` run out. */
export async function dueAfter(knex: Knex, start: Date, hours: number): Promise<Date> {
	return addWorkingHours(start, hours, await exceptions(knex));
}

/** Working hours from now until `due` (negative when past). */
export async function hoursLeft(knex: Knex, due: Date, now = new Date()): Promise<number> {
	return workingHoursBetween(now, due, await exceptions(knex));
}

/** Replaces one year of the calendar, in a transaction, with an audit row. */
export async function loadYear(knex: Knex, actor: string, year: CalendarYear): Promise<void> {
	await knex.transaction(async (trx) => {
		await trx('work_calendar_years').where({ year: year.year }).del();
		await trx('work_calendar_years').insert({ year: year.year, source: year.source, provisional: year.provisional });
		if (year.days.length > 0) await trx('work_calendar').insert(year.days.map((d) => ({ day: d.day, year: year.year, working: d.working, name: d.name })));
		await audit(trx, actor, 'load_work_calendar', `work_calendar:${year.year}`, { days: year.days.length, provisional: year.provisional });
	});
	forgetCalendar();
}

export interface CalendarSummary {
	years: { year: number; source: string; provisional: boolean; days: { day: string; working: boolean; name: string }[] }[];
}

export async function summary(knex: Knex): Promise<CalendarSummary> {
	const years = (await knex.raw(`SELECT year, source, provisional FROM work_calendar_years ORDER BY year`)).rows;
	const days = (await knex.raw(`SELECT year, to_char(day, 'YYYY-MM-DD') AS day, working, name FROM work_calendar ORDER BY day`)).rows;
	return {
		years: years.map((y: { year: number; source: string; provisional: boolean }) => ({
			...y,
			days: days.filter((d: { year: number }) => d.year === y.year).map(({ day, working, name }: { day: string; working: boolean; name: string }) => ({ day, working, name }))
		}))
	};
}
