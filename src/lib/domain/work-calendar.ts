/**
 * The work calendar that case deadlines are counted on: a time limit is a number of WORKING
 * hours, so a case reported on Friday evening before a holiday is not overdue on Monday.
 *
 * Pure (no I/O, no machine time zone): runs the same on the server and in the browser.
 *
 * Which days are working comes from the plain rule (Mon–Fri working, Sat/Sun rest) corrected
 * by the exceptions an admin loads, one file per year (`db/seeds/work-calendar/YYYY.json`).
 * A year file lists only the days that differ from the plain rule: rest days that fall on a
 * weekday (holidays) and working days that fall on a weekend (调休上班, make-up working days).
 * A holiday that falls on a weekend changes nothing, so it is not listed and the validator
 * rejects it, keeping each file one way to say one thing. Years not loaded fall back to the
 * plain weekend rule.
 */

/** China Standard Time is UTC+8 all year (no DST since 1991), so a fixed offset is exact. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * The working sessions of every working day, in minutes from local midnight, half-open
 * [start, end): 08:30–12:00 and 13:30–18:00, the county's office hours with the lunch break
 * left out — 8 working hours a day. A deadline that lands exactly at a session's end is that
 * end (18:00), not the next morning.
 */
export const WORK_SESSIONS: readonly { readonly start: number; readonly end: number }[] = [
	{ start: 8 * 60 + 30, end: 12 * 60 },
	{ start: 13 * 60 + 30, end: 18 * 60 }
];

/**
 * Days that differ from the plain rule, keyed by local China date 'YYYY-MM-DD':
 * working=false is a holiday, working=true on a weekend is a make-up working day.
 */
export type CalendarExceptions = ReadonlyMap<string, { working: boolean; name: string }>;

export interface CalendarDay {
	day: string;
	working: boolean;
	name: string;
}

/** One year's exceptions as an admin loads them. */
export interface CalendarYear {
	year: number;
	/** Where the dates come from, e.g. the State Council notice's title. */
	source: string;
	/** True while the official notice is not out and the dates are only the statutory ones. */
	provisional: boolean;
	/** Sorted by day. */
	days: CalendarDay[];
}

/**
 * How far addWorkingHours walks before giving up: three years of days is far beyond any case
 * time limit, and stops a huge `hours` from looping for ever.
 */
const MAX_WALK_DAYS = 3 * 366;

/** Days since 1970-01-01 (local China date) → 'YYYY-MM-DD'. */
/** The day an instant falls on in China (YYYY-MM-DD), whatever the machine's own zone. */
export function chinaDay(instant: Date = new Date()): string {
	return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function dayKey(dayNumber: number): string {
	return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' → days since 1970-01-01, or null when it is not a calendar date. */
function dayNumberOf(day: string): number | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
	const ms = Date.parse(`${day}T00:00:00Z`);
	// Date.parse rolls 2026-02-30 over to March on some engines and rejects it on others;
	// round-tripping catches both.
	if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) return null;
	return ms / DAY_MS;
}

function isWeekend(dayNumber: number): boolean {
	// 1970-01-01 was a Thursday: (n + 4) % 7 gives 0 = Sunday … 6 = Saturday.
	const weekday = (((dayNumber + 4) % 7) + 7) % 7;
	return weekday === 0 || weekday === 6;
}

function isWorkingDayNumber(dayNumber: number, exceptions: CalendarExceptions): boolean {
	const exception = exceptions.get(dayKey(dayNumber));
	return exception ? exception.working : !isWeekend(dayNumber);
}

/** Whether `day` ('YYYY-MM-DD', local China date) is a working day. */
export function isWorkingDay(day: string, exceptions: CalendarExceptions): boolean {
	const dayNumber = dayNumberOf(day);
	if (dayNumber === null) throw new Error(`${day} is not a calendar date written YYYY-MM-DD`);
	return isWorkingDayNumber(dayNumber, exceptions);
}

/**
 * The instant when `hours` working hours have elapsed after `start`. A start outside working
 * time counts from the next working moment, so 0 hours gives that moment. Fractional hours
 * are allowed and counted to the millisecond. Throws when `hours` is negative or not finite,
 * or when the count would run past three years of days.
 */
export function addWorkingHours(start: Date, hours: number, exceptions: CalendarExceptions): Date {
	if (!Number.isFinite(hours) || hours < 0) throw new Error(`hours must be a finite number ≥ 0, got ${hours}`);
	const startLocal = start.getTime() + CHINA_OFFSET_MS;
	if (Number.isNaN(startLocal)) throw new Error('start is not a valid date');
	let remaining = Math.round(hours * HOUR_MS);
	const firstDay = Math.floor(startLocal / DAY_MS);
	for (let dayNumber = firstDay; dayNumber < firstDay + MAX_WALK_DAYS; dayNumber++) {
		if (!isWorkingDayNumber(dayNumber, exceptions)) continue;
		for (const session of WORK_SESSIONS) {
			const sessionEnd = dayNumber * DAY_MS + session.end * MINUTE_MS;
			const from = Math.max(startLocal, dayNumber * DAY_MS + session.start * MINUTE_MS);
			if (from >= sessionEnd) continue;
			if (remaining <= sessionEnd - from) return new Date(from + remaining - CHINA_OFFSET_MS);
			remaining -= sessionEnd - from;
		}
	}
	throw new Error(`${hours} working hours from ${start.toISOString()} run past ${MAX_WALK_DAYS} days`);
}

/**
 * Working hours between two instants: how much of a time limit is left (positive) or by how
 * much it is overdue (negative: `to` before `from` gives minus the hours from `to` to `from`).
 */
export function workingHoursBetween(from: Date, to: Date, exceptions: CalendarExceptions): number {
	const fromLocal = from.getTime() + CHINA_OFFSET_MS;
	const toLocal = to.getTime() + CHINA_OFFSET_MS;
	if (Number.isNaN(fromLocal) || Number.isNaN(toLocal)) throw new Error('from and to must be valid dates');
	if (toLocal < fromLocal) return -workingHoursBetween(to, from, exceptions);
	let total = 0;
	for (let dayNumber = Math.floor(fromLocal / DAY_MS); dayNumber * DAY_MS < toLocal; dayNumber++) {
		if (!isWorkingDayNumber(dayNumber, exceptions)) continue;
		for (const session of WORK_SESSIONS) {
			const start = Math.max(fromLocal, dayNumber * DAY_MS + session.start * MINUTE_MS);
			const end = Math.min(toLocal, dayNumber * DAY_MS + session.end * MINUTE_MS);
			if (end > start) total += end - start;
		}
	}
	return total / HOUR_MS;
}

/** The exceptions of the loaded years in one map; throws when a year is loaded twice. */
export function calendarExceptions(years: readonly CalendarYear[]): CalendarExceptions {
	const seen = new Set<number>();
	const exceptions = new Map<string, { working: boolean; name: string }>();
	for (const year of years) {
		if (seen.has(year.year)) throw new Error(`year ${year.year} is loaded twice`);
		seen.add(year.year);
		for (const { day, working, name } of year.days) exceptions.set(day, { working, name });
	}
	return exceptions;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
	return typeof value === 'string' && value.trim() !== '';
}

/** Unknown keys are refused so a misspelt `workng` cannot silently read as a rest day. */
function checkKeys(record: Record<string, unknown>, allowed: readonly string[], where: string): void {
	for (const key of Object.keys(record)) {
		if (!allowed.includes(key)) throw new Error(`${where} has unknown field ${key}`);
	}
}

/**
 * Validates a year file an admin loads:
 * `{ year, source, provisional?, days: [{ day, working, name }] }`. Throws an Error naming
 * the field (with its index) that is wrong; returns the year with its days sorted.
 */
export function parseCalendarYear(value: unknown): CalendarYear {
	if (!isRecord(value)) throw new Error('calendar year must be an object');
	checkKeys(value, ['year', 'source', 'provisional', 'days'], 'calendar year');
	const { year, source, provisional = false, days } = value;
	if (typeof year !== 'number' || !Number.isInteger(year) || year < 1970 || year > 9999) {
		throw new Error('year must be a whole number from 1970 to 9999');
	}
	if (!nonEmptyString(source)) throw new Error('source must be a non-empty string');
	if (typeof provisional !== 'boolean') throw new Error('provisional must be true or false');
	if (!Array.isArray(days)) throw new Error('days must be an array');

	const seen = new Set<string>();
	const parsed: CalendarDay[] = days.map((entry: unknown, i): CalendarDay => {
		const where = `days[${i}]`;
		if (!isRecord(entry)) throw new Error(`${where} must be an object`);
		checkKeys(entry, ['day', 'working', 'name'], where);
		const { day, working, name } = entry;
		if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
			throw new Error(`${where}.day must be a date written YYYY-MM-DD`);
		}
		const dayNumber = dayNumberOf(day);
		if (dayNumber === null) throw new Error(`${where}.day ${day} is not a calendar date`);
		if (Number(day.slice(0, 4)) !== year) throw new Error(`${where}.day ${day} is not in year ${year}`);
		if (seen.has(day)) throw new Error(`${where} duplicates ${day}`);
		seen.add(day);
		if (typeof working !== 'boolean') throw new Error(`${where}.working must be true or false`);
		if (!nonEmptyString(name)) throw new Error(`${where}.name must be a non-empty string`);
		if (working && !isWeekend(dayNumber)) {
			throw new Error(`${where}.working true on a weekday: a make-up working day must fall on Saturday or Sunday`);
		}
		if (!working && isWeekend(dayNumber)) throw new Error(`${where}.working false on a weekend is already a rest day`);
		return { day, working, name };
	});
	parsed.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
	return { year, source, provisional, days: parsed };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a YYYY-MM-DD day exists: 2026-02-30 does not, though Date.parse accepts it. */
export function isCalendarDay(value: string): boolean {
	const m = DAY.exec(value);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	if (y < 1900 || y > 2999) return false;
	const date = new Date(Date.UTC(y, mo - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
