import { describe, it, expect } from 'vitest';
import { DateTime } from 'luxon';
import {
	DEFAULT_CALENDAR,
	DEFAULT_DEADLINE,
	computeDueAt,
	elapsedBusinessMs,
	isBreached,
	isWorkingDay,
	remaining,
	type Calendar,
	type ClockInput,
} from '../../extensions/customer-processes/src/domain/complaints/clock';
import { DomainError } from '../../extensions/customer-processes/src/domain/errors';

const d = (iso: string) => new Date(iso);
const iso = (date: Date | null) => (date === null ? null : date.toISOString());
const HOUR = 3_600_000;

/** Shanghai, Mon-Fri 08:30-17:30, National Day week off, two make-up Saturdays/Sundays (调休). */
const SHANGHAI: Calendar = {
	zone: 'Asia/Shanghai',
	workingDays: [1, 2, 3, 4, 5],
	workingHours: { start: '08:30', end: '17:30' },
	holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
	makeUpWorkdays: ['2026-09-27', '2026-10-10'],
};

const BERLIN: Calendar = {
	zone: 'Europe/Berlin',
	workingDays: [1, 2, 3, 4, 5],
	workingHours: { start: '08:00', end: '17:00' },
	holidays: [],
	makeUpWorkdays: [],
};

describe('CP-4 calendar hours', () => {
	it('CP-4 default: 72 calendar hours from receipt', () => {
		expect(DEFAULT_DEADLINE).toEqual({ duration: 72, unit: 'hours', mode: 'calendar_hours' });
		const due = computeDueAt({ ...DEFAULT_DEADLINE, start: d('2026-03-02T10:00:00+08:00'), calendar: DEFAULT_CALENDAR, pauses: [] });
		expect(iso(due)).toBe('2026-03-05T02:00:00.000Z');
	});

	it('CP-4 weekends count in calendar-hours mode', () => {
		const due = computeDueAt({ ...DEFAULT_DEADLINE, start: d('2026-03-06T15:30:00+08:00'), calendar: SHANGHAI });
		expect(iso(due)).toBe('2026-03-09T07:30:00.000Z');
	});

	it('CP-4 several pauses are excluded; overlapping pauses merged; a pause before the start is clipped', () => {
		const due = computeDueAt({
			...DEFAULT_DEADLINE,
			start: d('2026-03-02T02:00:00Z'),
			calendar: SHANGHAI,
			pauses: [
				{ from: d('2026-03-02T04:00:00Z'), to: d('2026-03-02T06:00:00Z') },
				{ from: d('2026-03-02T05:00:00Z'), to: d('2026-03-02T08:00:00Z') }, // overlaps: 4h paused in total, not 5h
				{ from: d('2026-03-03T00:00:00Z'), to: d('2026-03-03T01:30:00Z') },
				{ from: d('2026-03-01T00:00:00Z'), to: d('2026-03-02T03:00:00Z') }, // only 1h after the start counts
			],
		});
		// 72h + 4h + 1.5h + 1h = 78.5h
		expect(iso(due)).toBe('2026-03-05T08:30:00.000Z');
	});

	it('CP-4 null while a pause that began before the deadline is still open', () => {
		const input: ClockInput = {
			...DEFAULT_DEADLINE,
			start: d('2026-03-02T02:00:00Z'),
			calendar: SHANGHAI,
			pauses: [{ from: d('2026-03-03T00:00:00Z'), to: null }],
		};
		expect(computeDueAt(input)).toBeNull();
	});

	it('CP-4 a pause opened after the deadline passed does not hide the breach', () => {
		const due = computeDueAt({
			...DEFAULT_DEADLINE,
			start: d('2026-03-02T02:00:00Z'),
			calendar: SHANGHAI,
			pauses: [{ from: d('2026-03-06T00:00:00Z'), to: null }],
		});
		expect(iso(due)).toBe('2026-03-05T02:00:00.000Z');
	});
});

describe('CP-4 working hours', () => {
	const start = d('2026-03-06T15:30:00+08:00'); // Friday

	it('CP-4 16 working hours from Friday afternoon skip the weekend', () => {
		// Fri 2h + Mon 9h + Tue 5h -> Tue 13:30 Shanghai
		const due = computeDueAt({ start, duration: 16, unit: 'hours', mode: 'working_hours', calendar: SHANGHAI });
		expect(iso(due)).toBe('2026-03-10T05:30:00.000Z');
	});

	it('CP-4 several pauses in working-hours mode, one spanning the weekend', () => {
		const due = computeDueAt({
			start,
			duration: 16,
			unit: 'hours',
			mode: 'working_hours',
			calendar: SHANGHAI,
			pauses: [
				{ from: d('2026-03-06T17:00:00+08:00'), to: d('2026-03-09T09:00:00+08:00') }, // Fri 0.5h + Mon 0.5h
				{ from: d('2026-03-09T10:00:00+08:00'), to: d('2026-03-09T11:30:00+08:00') }, // Mon 1.5h
			],
		});
		// Fri 1.5h + Mon 7h = 8.5h, Tue 7.5h -> Tue 16:00 Shanghai
		expect(iso(due)).toBe('2026-03-10T08:00:00.000Z');
	});

	it('CP-4 a deadline ending exactly at closing time stays on that day', () => {
		const due = computeDueAt({ start: d('2026-03-09T08:30:00+08:00'), duration: 9, unit: 'hours', mode: 'working_hours', calendar: SHANGHAI });
		expect(iso(due)).toBe('2026-03-09T09:30:00.000Z'); // Mon 17:30 Shanghai
	});

	it('CP-4 a start outside working hours counts from the next opening', () => {
		const due = computeDueAt({ start: d('2026-03-07T11:00:00+08:00'), duration: 1, unit: 'hours', mode: 'working_hours', calendar: SHANGHAI });
		expect(iso(due)).toBe('2026-03-09T01:30:00.000Z'); // Mon 09:30 Shanghai
	});

	it('CP-4 a holiday week is skipped', () => {
		// Wed 30 Sep 16:30: 1h that day, 1-7 Oct holiday, 2h on Thu 8 Oct -> 10:30
		const due = computeDueAt({ start: d('2026-09-30T16:30:00+08:00'), duration: 3, unit: 'hours', mode: 'working_hours', calendar: SHANGHAI });
		expect(iso(due)).toBe('2026-10-08T02:30:00.000Z');
	});

	it('CP-4 a make-up Saturday is a working day', () => {
		// Fri 9 Oct 17:00: 0.5h, then Sat 10 Oct (make-up) 08:30 + 1.5h = 10:00
		const due = computeDueAt({ start: d('2026-10-09T17:00:00+08:00'), duration: 2, unit: 'hours', mode: 'working_hours', calendar: SHANGHAI });
		expect(iso(due)).toBe('2026-10-10T02:00:00.000Z');
		const noMakeUp = computeDueAt({
			start: d('2026-10-09T17:00:00+08:00'),
			duration: 2,
			unit: 'hours',
			mode: 'working_hours',
			calendar: { ...SHANGHAI, makeUpWorkdays: [] },
		});
		expect(iso(noMakeUp)).toBe('2026-10-12T02:00:00.000Z'); // Monday 10:00
	});

	it('CP-4 one working-hours "day" is one working window', () => {
		const due = computeDueAt({ start: d('2026-03-09T12:00:00+08:00'), duration: 1, unit: 'days', mode: 'working_hours', calendar: SHANGHAI });
		expect(iso(due)).toBe('2026-03-10T04:00:00.000Z'); // Tue 12:00
	});
});

describe('CP-4 working days ("5 working days" excerpt)', () => {
	const start = d('2026-09-25T14:00:00+08:00'); // Friday before National Day

	it('CP-4 5 working days across a make-up Sunday and the National Day holidays', () => {
		// Fri 25 (part), Sun 27 make-up, Mon 28, Tue 29, Wed 30, [1-7 Oct off], Thu 8 Oct 14:00
		const due = computeDueAt({ start, duration: 5, unit: 'days', mode: 'working_days', calendar: SHANGHAI });
		expect(iso(due)).toBe('2026-10-08T06:00:00.000Z');
	});

	it('CP-4 without the make-up day the deadline moves one working day later', () => {
		const due = computeDueAt({ start, duration: 5, unit: 'days', mode: 'working_days', calendar: { ...SHANGHAI, makeUpWorkdays: [] } });
		expect(iso(due)).toBe('2026-10-09T06:00:00.000Z');
	});

	it('CP-4 a pause during working days pushes the deadline by the paused working time only', () => {
		const due = computeDueAt({
			start,
			duration: 5,
			unit: 'days',
			mode: 'working_days',
			calendar: SHANGHAI,
			// Wed 30 Sep 12:00 -> Thu 8 Oct 00:00: only 12h of it is working time
			pauses: [{ from: d('2026-09-30T12:00:00+08:00'), to: d('2026-10-08T00:00:00+08:00') }],
		});
		expect(iso(due)).toBe('2026-10-08T18:00:00.000Z'); // Fri 9 Oct 02:00 Shanghai: 12h later than without the pause
	});

	it('isWorkingDay follows weekdays, holidays and make-up days in the company zone', () => {
		expect(isWorkingDay(d('2026-09-27T12:00:00+08:00'), SHANGHAI)).toBe(true); // make-up Sunday
		expect(isWorkingDay(d('2026-10-05T12:00:00+08:00'), SHANGHAI)).toBe(false); // holiday Monday
		expect(isWorkingDay(d('2026-09-26T12:00:00+08:00'), SHANGHAI)).toBe(false); // Saturday
		// 2026-10-07T17:00Z is already Thursday 8 Oct 01:00 in Shanghai
		expect(isWorkingDay(d('2026-10-07T17:00:00Z'), SHANGHAI)).toBe(true);
	});
});

describe('CP-4 DST (Europe/Berlin)', () => {
	const start = d('2026-03-27T10:00:00+01:00'); // Friday before the spring change (Sun 29 Mar 02:00 -> 03:00)

	it('CP-4 72 calendar hours are real hours across the spring change', () => {
		const due = computeDueAt({ start, duration: 72, unit: 'hours', mode: 'calendar_hours', calendar: BERLIN });
		expect(iso(due)).toBe('2026-03-30T09:00:00.000Z');
		expect(DateTime.fromJSDate(due!, { zone: 'Europe/Berlin' }).toFormat('yyyy-MM-dd HH:mm ZZ')).toBe('2026-03-30 11:00 +02:00');
	});

	it('CP-4 3 calendar days keep the wall-clock time across the spring change', () => {
		const due = computeDueAt({ start, duration: 3, unit: 'days', mode: 'calendar_hours', calendar: BERLIN });
		expect(iso(due)).toBe('2026-03-30T08:00:00.000Z'); // Mon 10:00 CEST
	});

	it('CP-4 working hours across the spring change', () => {
		// Fri 16:00 CET: 1h Friday, 3h Monday -> Mon 11:00 CEST
		const due = computeDueAt({ start: d('2026-03-27T16:00:00+01:00'), duration: 4, unit: 'hours', mode: 'working_hours', calendar: BERLIN });
		expect(iso(due)).toBe('2026-03-30T09:00:00.000Z');
	});

	it('CP-4 autumn change: 24 real hours vs 1 calendar day', () => {
		const autumn = d('2026-10-24T12:00:00+02:00'); // Saturday; clocks go back Sun 25 Oct 03:00 -> 02:00
		expect(iso(computeDueAt({ start: autumn, duration: 24, unit: 'hours', mode: 'calendar_hours', calendar: BERLIN }))).toBe(
			'2026-10-25T10:00:00.000Z', // 11:00 CET
		);
		expect(iso(computeDueAt({ start: autumn, duration: 1, unit: 'days', mode: 'calendar_hours', calendar: BERLIN }))).toBe(
			'2026-10-25T11:00:00.000Z', // 12:00 CET
		);
	});
});

describe('CP-4 elapsed, remaining, breach', () => {
	const input: ClockInput = {
		start: d('2026-03-06T15:30:00+08:00'),
		duration: 16,
		unit: 'hours',
		mode: 'working_hours',
		calendar: SHANGHAI,
		pauses: [{ from: d('2026-03-09T09:00:00+08:00'), to: d('2026-03-09T09:30:00+08:00') }],
	};

	it('CP-4 elapsed working time excludes the weekend and pauses', () => {
		// Fri 2h + Mon 08:30-10:30 minus 0.5h pause = 3.5h
		expect(elapsedBusinessMs({ ...input, end: d('2026-03-09T10:30:00+08:00') })).toBe(3.5 * HOUR);
		expect(elapsedBusinessMs({ ...input, end: d('2026-03-01T00:00:00Z') })).toBe(0);
	});

	it('CP-4 remaining time and overdue flag', () => {
		expect(remaining(input, d('2026-03-09T10:30:00+08:00'))).toEqual({ businessMs: 12.5 * HOUR, overdue: false, paused: false });
		const due = computeDueAt(input)!;
		expect(remaining(input, due).businessMs).toBe(0);
		expect(remaining(input, new Date(due.getTime() + 60_000)).overdue).toBe(true);
	});

	it('CP-4 an open pause stops the clock', () => {
		const paused = { ...input, pauses: [{ from: d('2026-03-09T10:00:00+08:00'), to: null }] };
		const r = remaining(paused, d('2026-03-11T10:00:00+08:00'));
		expect(r).toEqual({ businessMs: 12.5 * HOUR, overdue: false, paused: true });
		expect(computeDueAt(paused)).toBeNull();
	});

	it('CP-4 breach is strictly after the due instant; no due (paused) is no breach', () => {
		const due = d('2026-03-05T02:00:00Z');
		expect(isBreached(due, d('2026-03-05T02:00:00Z'))).toBe(false);
		expect(isBreached(due, d('2026-03-05T02:00:00.001Z'))).toBe(true);
		expect(isBreached(null, d('2030-01-01T00:00:00Z'))).toBe(false);
	});
});

describe('CP-4 calendar validation', () => {
	const base: ClockInput = { start: d('2026-03-02T00:00:00Z'), duration: 1, unit: 'hours', mode: 'working_hours', calendar: SHANGHAI };
	const code = (input: ClockInput) => {
		try {
			computeDueAt(input);
		} catch (e) {
			return e instanceof DomainError ? `${e.code}:${e.field}` : 'other';
		}
		return 'ok';
	};

	it('refuses bad settings with the field named', () => {
		expect(code({ ...base, calendar: { ...SHANGHAI, zone: 'Mars/Olympus' } })).toBe('CP_INVALID_VALUE:calendar.zone');
		expect(code({ ...base, calendar: { ...SHANGHAI, workingHours: { start: '18:00', end: '09:00' } } })).toBe('CP_INVALID_VALUE:calendar.workingHours');
		expect(code({ ...base, calendar: { ...SHANGHAI, workingDays: [0, 1] } })).toBe('CP_INVALID_VALUE:calendar.workingDays');
		expect(code({ ...base, calendar: { ...SHANGHAI, holidays: ['2026-10-10'] } })).toBe('CP_INVALID_VALUE:calendar.makeUpWorkdays');
		expect(code({ ...base, calendar: { ...SHANGHAI, holidays: ['10/01/2026'] } })).toBe('CP_INVALID_VALUE:calendar.holidays');
		expect(code({ ...base, duration: 0 })).toBe('CP_INVALID_VALUE:duration');
		expect(code({ ...base, pauses: [{ from: d('2026-03-03T00:00:00Z'), to: d('2026-03-02T00:00:00Z') }] })).toBe('CP_INVALID_VALUE:pauses');
		expect(code({ ...base, calendar: { ...SHANGHAI, workingDays: [], makeUpWorkdays: [] } })).toBe('CP_INVALID_VALUE:calendar');
	});
});
