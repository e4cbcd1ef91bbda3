import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	addWorkingHours,
	calendarExceptions,
	isWorkingDay,
	parseCalendarYear,
	workingHoursBetween,
	WORK_SESSIONS,
	type CalendarExceptions
} from '../../src/lib/domain/work-calendar.js';

function loadYear(year: number) {
	const url = new URL(`../../db/seeds/work-calendar/${year}.json`, import.meta.url);
	return parseCalendarYear(JSON.parse(readFileSync(url, 'utf8')));
}

const y2026 = loadYear(2026);
const y2027 = loadYear(2027);
const calendar = calendarExceptions([y2026, y2027]);
const plain: CalendarExceptions = new Map();

/** `start` + `hours` on the shipped calendar, as an ISO instant in China time. */
function add(start: string, hours: number, exceptions: CalendarExceptions = calendar): string {
	return toChinaIso(addWorkingHours(new Date(start), hours, exceptions));
}

function toChinaIso(date: Date): string {
	return new Date(date.getTime() + 8 * 3_600_000).toISOString().replace(/\.000Z$/, '+08:00');
}

function daysFrom(first: string, last: string): string[] {
	const out: string[] = [];
	for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
		out.push(new Date(t).toISOString().slice(0, 10));
	}
	return out;
}

function shiftDay(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('WORK_SESSIONS', () => {
	it('is 08:30–12:00 and 13:30–18:00, 8 hours a day', () => {
		expect(WORK_SESSIONS).toEqual([
			{ start: 510, end: 720 },
			{ start: 810, end: 1080 }
		]);
		expect(WORK_SESSIONS.reduce((sum, s) => sum + s.end - s.start, 0)).toBe(8 * 60);
	});
});

describe('addWorkingHours on ordinary days', () => {
	it('stays within a morning', () => {
		expect(add('2026-03-10T09:00:00+08:00', 2)).toBe('2026-03-10T11:00:00+08:00');
	});

	it('skips the lunch break', () => {
		expect(add('2026-03-10T11:00:00+08:00', 2)).toBe('2026-03-10T14:30:00+08:00');
		expect(add('2026-03-10T12:30:00+08:00', 0.5)).toBe('2026-03-10T14:00:00+08:00');
	});

	it('starts counting at 08:30 when started earlier', () => {
		expect(add('2026-03-10T07:00:00+08:00', 1)).toBe('2026-03-10T09:30:00+08:00');
	});

	it('starts counting the next morning when started after 18:00', () => {
		expect(add('2026-03-10T19:00:00+08:00', 1)).toBe('2026-03-11T09:30:00+08:00');
	});

	it('ends at 18:00, not the next morning, when the hours run out exactly', () => {
		expect(add('2026-03-10T16:00:00+08:00', 2)).toBe('2026-03-10T18:00:00+08:00');
		expect(add('2026-03-10T08:30:00+08:00', 8)).toBe('2026-03-10T18:00:00+08:00');
	});

	it('takes fractional hours to the minute', () => {
		expect(add('2026-03-10T09:00:00+08:00', 0.25)).toBe('2026-03-10T09:15:00+08:00');
		expect(add('2026-03-10T09:00:00+08:00', 1 / 60)).toBe('2026-03-10T09:01:00+08:00');
	});

	it('gives the next working moment for 0 hours', () => {
		expect(add('2026-03-10T09:00:00+08:00', 0)).toBe('2026-03-10T09:00:00+08:00');
		expect(add('2026-03-14T10:00:00+08:00', 0)).toBe('2026-03-16T08:30:00+08:00');
	});

	it('reads the start in China time whatever zone it was written in', () => {
		// 01:00 UTC is 09:00 in Hejiang; 23:00 UTC on Monday is 07:00 on Tuesday there.
		expect(add('2026-03-10T01:00:00Z', 1)).toBe('2026-03-10T10:00:00+08:00');
		expect(add('2026-03-09T23:00:00Z', 1)).toBe('2026-03-10T09:30:00+08:00');
	});

	it('crosses a weekend: Friday 16:00 + 4 h is Monday 10:30', () => {
		expect(add('2026-03-13T16:00:00+08:00', 4)).toBe('2026-03-16T10:30:00+08:00');
	});

	it('refuses negative, infinite and unreachable hour counts', () => {
		const start = new Date('2026-03-10T09:00:00+08:00');
		expect(() => addWorkingHours(start, -1, calendar)).toThrow('hours must be a finite number ≥ 0, got -1');
		expect(() => addWorkingHours(start, Number.NaN, calendar)).toThrow('got NaN');
		expect(() => addWorkingHours(start, Infinity, calendar)).toThrow('got Infinity');
		expect(() => addWorkingHours(start, 1e6, calendar)).toThrow('run past 1098 days');
	});
});

describe('addWorkingHours on the 2026 calendar', () => {
	it('crosses 国庆: Wed 30 Sep 16:00 + 8 h lands on Thu 8 Oct, the first day back', () => {
		expect(add('2026-09-30T16:00:00+08:00', 8)).toBe('2026-10-08T16:00:00+08:00');
	});

	it('works on Saturday 10 Oct, a make-up working day, and rests on Sunday 11 Oct', () => {
		// 2 h on 30 Sep, 8 h each on 8 and 9 Oct, then Saturday.
		expect(add('2026-09-30T16:00:00+08:00', 20)).toBe('2026-10-10T10:30:00+08:00');
		expect(add('2026-09-30T16:00:00+08:00', 26)).toBe('2026-10-10T18:00:00+08:00');
		expect(add('2026-09-30T16:00:00+08:00', 27)).toBe('2026-10-12T09:30:00+08:00');
	});

	it('works on Sunday 20 Sep, the make-up day before 国庆', () => {
		expect(add('2026-09-18T17:00:00+08:00', 2)).toBe('2026-09-20T09:30:00+08:00');
	});

	it('goes from Friday 13 Feb 17:00 + 2 h to Saturday 14 Feb 09:30 (make-up day before 春节)', () => {
		expect(add('2026-02-13T17:00:00+08:00', 2)).toBe('2026-02-14T09:30:00+08:00');
		// Without the calendar it would be the Monday, which is 春节.
		expect(add('2026-02-13T17:00:00+08:00', 2, plain)).toBe('2026-02-16T09:30:00+08:00');
	});

	it('skips 春节 Feb 15–23 from the Saturday make-up day to Tuesday 24 Feb', () => {
		expect(add('2026-02-14T17:00:00+08:00', 2)).toBe('2026-02-24T09:30:00+08:00');
	});

	it('works on Saturday 28 Feb, the make-up day after 春节', () => {
		expect(add('2026-02-27T17:00:00+08:00', 2)).toBe('2026-02-28T09:30:00+08:00');
		expect(add('2026-02-28T17:00:00+08:00', 2)).toBe('2026-03-02T09:30:00+08:00');
	});

	it('crosses 元旦 into 2026 from a year not loaded, landing on the make-up Sunday 4 Jan', () => {
		expect(add('2025-12-31T17:00:00+08:00', 2)).toBe('2026-01-04T09:30:00+08:00');
	});
});

describe('isWorkingDay', () => {
	it('follows the plain rule outside the exceptions and for years not loaded', () => {
		expect(isWorkingDay('2026-03-10', calendar)).toBe(true);
		expect(isWorkingDay('2026-03-14', calendar)).toBe(false);
		expect(isWorkingDay('2028-01-01', calendar)).toBe(false);
		expect(isWorkingDay('2028-01-03', calendar)).toBe(true);
	});

	it('knows holidays and make-up working days', () => {
		expect(isWorkingDay('2026-10-01', calendar)).toBe(false);
		expect(isWorkingDay('2026-02-14', calendar)).toBe(true);
		expect(isWorkingDay('2026-02-28', calendar)).toBe(true);
		expect(isWorkingDay('2027-02-08', calendar)).toBe(false);
	});

	it('refuses a day that is not a calendar date', () => {
		expect(() => isWorkingDay('2026-02-30', calendar)).toThrow('2026-02-30 is not a calendar date');
	});
});

describe('workingHoursBetween', () => {
	it('counts working hours, negative when the deadline has passed', () => {
		const friday = new Date('2026-03-13T16:00:00+08:00');
		const monday = new Date('2026-03-16T10:30:00+08:00');
		expect(workingHoursBetween(friday, monday, calendar)).toBe(4);
		expect(workingHoursBetween(monday, friday, calendar)).toBe(-4);
		expect(workingHoursBetween(friday, friday, calendar)).toBe(0);
	});

	it('counts nothing over 国庆 and the weekend around it', () => {
		const from = new Date('2026-09-30T18:00:00+08:00');
		expect(workingHoursBetween(from, new Date('2026-10-08T08:30:00+08:00'), calendar)).toBe(0);
	});

	// Starts over the two shipped years and their edges, to the millisecond.
	const instant = fc.integer({
		min: Date.parse('2025-12-25T00:00:00+08:00'),
		max: Date.parse('2028-01-05T00:00:00+08:00')
	});

	it('agrees with addWorkingHours', () => {
		fc.assert(
			fc.property(instant, fc.integer({ min: 0, max: 300 * 60 }), (startMs, minutes) => {
				const start = new Date(startMs);
				const end = addWorkingHours(start, minutes / 60, calendar);
				expect(end.getTime()).toBeGreaterThanOrEqual(startMs);
				expect(Math.round(workingHoursBetween(start, end, calendar) * 60)).toBe(minutes);
			}),
			{ seed: 20260101, numRuns: 400 }
		);
	});

	it('leads addWorkingHours back to the last working moment at or before `to`', () => {
		fc.assert(
			fc.property(instant, instant, (a, b) => {
				const [from, to] = a <= b ? [new Date(a), new Date(b)] : [new Date(b), new Date(a)];
				const hours = workingHoursBetween(from, to, calendar);
				const back = addWorkingHours(from, hours, calendar);
				if (hours > 0) {
					expect(back.getTime()).toBeLessThanOrEqual(to.getTime());
					expect(workingHoursBetween(back, to, calendar)).toBe(0);
				}
			}),
			{ seed: 20270101, numRuns: 300 }
		);
	});
});

describe('the shipped year files', () => {
	it('2026 lists the 19 weekday rest days and 6 make-up working days of the notice', () => {
		expect(y2026.provisional).toBe(false);
		expect(y2026.source).toContain('国务院办公厅关于2026年部分节假日安排的通知');
		expect(y2026.days.filter((d) => !d.working)).toHaveLength(19);
		expect(y2026.days.filter((d) => d.working).map((d) => d.day)).toEqual([
			'2026-01-04',
			'2026-02-14',
			'2026-02-28',
			'2026-05-09',
			'2026-09-20',
			'2026-10-10'
		]);
	});

	it('2026 rests on every day of each holiday the notice lists, with its length', () => {
		// The ranges and lengths as the notice writes them (共N天).
		const holidays: [string, string, number][] = [
			['2026-01-01', '2026-01-03', 3],
			['2026-02-15', '2026-02-23', 9],
			['2026-04-04', '2026-04-06', 3],
			['2026-05-01', '2026-05-05', 5],
			['2026-06-19', '2026-06-21', 3],
			['2026-09-25', '2026-09-27', 3],
			['2026-10-01', '2026-10-07', 7]
		];
		for (const [first, last, length] of holidays) {
			const days = daysFrom(first, last);
			expect(days).toHaveLength(length);
			for (const day of days) expect(isWorkingDay(day, calendar), day).toBe(false);
			// The day before and the day after are working: the holiday is no longer than the notice says.
			expect(isWorkingDay(shiftDay(first, -1), calendar), first).toBe(true);
			expect(isWorkingDay(shiftDay(last, 1), calendar), last).toBe(true);
		}
	});

	it('2027 is provisional with the 7 weekday statutory holidays and no make-up days', () => {
		expect(y2027.provisional).toBe(true);
		expect(y2027.days.map((d) => d.day)).toEqual([
			'2027-01-01',
			'2027-02-05',
			'2027-02-08',
			'2027-04-05',
			'2027-06-09',
			'2027-09-15',
			'2027-10-01'
		]);
		expect(y2027.days.every((d) => !d.working)).toBe(true);
	});

	it('refuses the same year loaded twice', () => {
		expect(() => calendarExceptions([y2026, y2026])).toThrow('year 2026 is loaded twice');
	});
});

describe('parseCalendarYear', () => {
	const base = { year: 2026, source: 'test' };
	const holiday = { day: '2026-01-01', working: false, name: '元旦' };
	const parse = (days: unknown[], extra: object = {}) => () => parseCalendarYear({ ...base, ...extra, days });

	it('accepts a good year, sorts its days and defaults provisional to false', () => {
		const makeUp = { day: '2026-01-04', working: true, name: '元旦调休上班' };
		expect(parseCalendarYear({ ...base, days: [makeUp, holiday] })).toEqual({
			year: 2026,
			source: 'test',
			provisional: false,
			days: [holiday, makeUp]
		});
	});

	it('names what is wrong', () => {
		const filler = (day: string) => ({ day, working: false, name: 'x' });
		expect(parse([holiday, holiday, holiday, { day: '2026-02-30', working: false, name: 'x' }])).toThrow(
			'days[1] duplicates 2026-01-01'
		);
		expect(parse([{ day: '2026-02-30', working: false, name: 'x' }])).toThrow(
			'days[0].day 2026-02-30 is not a calendar date'
		);
		expect(parse([filler('2026-01-01'), { day: '2027-01-01', working: false, name: 'x' }])).toThrow(
			'days[1].day 2027-01-01 is not in year 2026'
		);
		expect(parse([{ day: '2026-1-1', working: false, name: 'x' }])).toThrow('days[0].day must be a date written YYYY-MM-DD');
		expect(parse([{ day: '2026-01-01', working: 'no', name: 'x' }])).toThrow('days[0].working must be true or false');
		expect(parse([{ day: '2026-01-01', name: 'x' }])).toThrow('days[0].working must be true or false');
		expect(parse([{ day: '2026-01-01', working: false, name: '' }])).toThrow('days[0].name must be a non-empty string');
		expect(parse([{ day: '2026-01-01', workng: false, name: 'x' }])).toThrow('days[0] has unknown field workng');
		expect(parse(['2026-01-01'])).toThrow('days[0] must be an object');
		expect(parse([filler('2026-01-01'), { day: '2026-01-05', working: true, name: 'x' }])).toThrow(
			'days[1].working true on a weekday: a make-up working day must fall on Saturday or Sunday'
		);
		expect(parse([{ day: '2026-01-03', working: false, name: '元旦' }])).toThrow(
			'days[0].working false on a weekend is already a rest day'
		);
	});

	it('names what is wrong with the year itself', () => {
		expect(() => parseCalendarYear(null)).toThrow('calendar year must be an object');
		expect(() => parseCalendarYear([])).toThrow('calendar year must be an object');
		expect(() => parseCalendarYear({ ...base, year: '2026', days: [] })).toThrow(
			'year must be a whole number from 1970 to 9999'
		);
		expect(() => parseCalendarYear({ ...base, year: 2026.5, days: [] })).toThrow('year must be a whole number');
		expect(() => parseCalendarYear({ year: 2026, source: ' ', days: [] })).toThrow('source must be a non-empty string');
		expect(parse([], { provisional: 'yes' })).toThrow('provisional must be true or false');
		expect(() => parseCalendarYear({ ...base })).toThrow('days must be an array');
		expect(() => parseCalendarYear({ ...base, days: [], note: 1 })).toThrow('calendar year has unknown field note');
	});
});
