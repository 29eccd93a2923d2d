/**
 * CP-4 response deadline clock. Doc 2 gives 72 hours, an excerpt gives
 * 5 working days, so the duration, unit and counting mode are settings.
 *
 * Modes (what time counts towards the deadline):
 * - calendar_hours: all time. Hours are real elapsed hours; days are local
 *   calendar days (same wall-clock time N days later, whatever DST does).
 * - working_days:   whole local days that are working days.
 * - working_hours:  the working-hours window of working days; one "day" is
 *   one working-hours window.
 * Paused time (e.g. waiting for the customer) never counts.
 *
 * Working modes and day units are computed on a "wall-clock axis": local
 * date-time components read as if they were UTC, so every local day is 24h
 * long and DST changes cannot shift a deadline by an hour. Results are
 * converted back to real instants in the company zone.
 */
import { DateTime } from 'luxon';
import { DomainError } from '../errors';
import { CATALOGUE, values } from '../catalogue';

export type Calendar = {
	/** IANA zone of the company, e.g. 'Asia/Shanghai'. */
	zone: string;
	/** ISO weekdays that are working days, 1 = Monday .. 7 = Sunday. */
	workingDays: number[];
	workingHours: { start: string; end: string };
	/** Local dates (YYYY-MM-DD) that are not working days (public holidays). */
	holidays: string[];
	/** Local dates that are working days even if they fall on a rest day (调休 make-up days). */
	makeUpWorkdays: string[];
};

export const CLOCK_MODES = values(CATALOGUE.cp_settings.response_mode);
export type ClockMode = (typeof CLOCK_MODES)[number];
export type ClockUnit = 'hours' | 'days';

export interface Pause {
	from: Date;
	/** null while the pause is still running. */
	to: Date | null;
}

export interface ClockInput {
	start: Date;
	duration: number;
	unit: ClockUnit;
	mode: ClockMode;
	calendar: Calendar;
	pauses?: readonly Pause[] | undefined;
}

export const DEFAULT_CALENDAR: Calendar = {
	zone: 'Asia/Shanghai',
	workingDays: [1, 2, 3, 4, 5],
	workingHours: { start: '08:30', end: '17:30' },
	holidays: [],
	makeUpWorkdays: [],
};

/** Doc 2 4.6.4: written response within 72 hours. */
export const DEFAULT_DEADLINE: { duration: number; unit: ClockUnit; mode: ClockMode } = {
	duration: 72,
	unit: 'hours',
	mode: 'calendar_hours',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Safety stop: a calendar with almost no working time must not loop forever. */
const MAX_SCAN_DAYS = 3 * 366;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function invalid(field: string, message: string): never {
	throw new DomainError('CP_INVALID_VALUE', message, { field });
}

function minutesOf(hhmm: string): number {
	const [h, m] = hhmm.split(':').map(Number);
	return h! * 60 + m!;
}

/** Throws CP_INVALID_VALUE for a calendar that would give wrong or endless results. */
export function validateCalendar(calendar: Calendar): void {
	if (!DateTime.fromMillis(0, { zone: calendar.zone }).isValid) invalid('calendar.zone', `Unknown time zone '${calendar.zone}'`);
	if (!calendar.workingDays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
		invalid('calendar.workingDays', `Working days must be ISO weekdays 1..7, got ${calendar.workingDays.join(', ')}`);
	}
	const { start, end } = calendar.workingHours;
	if (!HH_MM.test(start) || !HH_MM.test(end) || minutesOf(start) >= minutesOf(end)) {
		invalid('calendar.workingHours', `Working hours must be HH:mm with start before end, got ${start}-${end}`);
	}
	for (const [field, dates] of [
		['calendar.holidays', calendar.holidays],
		['calendar.makeUpWorkdays', calendar.makeUpWorkdays],
	] as const) {
		for (const d of dates) {
			if (!ISO_DATE.test(d) || !DateTime.fromISO(d, { zone: 'utc' }).isValid) invalid(field, `Not an ISO date: '${d}'`);
		}
	}
	const both = calendar.holidays.filter((d) => calendar.makeUpWorkdays.includes(d));
	if (both.length) invalid('calendar.makeUpWorkdays', `Dates both holiday and make-up workday: ${both.join(', ')}`);
}

/** Make-up workdays win over the weekly rest days; holidays win over the weekly working days. */
function isWorkingDate(isoDate: string, isoWeekday: number, calendar: Calendar): boolean {
	if (calendar.makeUpWorkdays.includes(isoDate)) return true;
	if (calendar.holidays.includes(isoDate)) return false;
	return calendar.workingDays.includes(isoWeekday);
}

/** Is the local day of `date` a working day in the calendar. */
export function isWorkingDay(date: Date, calendar: Calendar): boolean {
	const dt = DateTime.fromJSDate(date, { zone: calendar.zone });
	return isWorkingDate(dt.toISODate()!, dt.weekday, calendar);
}

/** A time axis: real instants (ms) or wall-clock ms in the company zone. */
interface Axis {
	to(d: Date): number;
	from(x: number): Date;
}

const realAxis: Axis = { to: (d) => d.getTime(), from: (x) => new Date(x) };

function wallClockAxis(zone: string): Axis {
	return {
		to: (d) => {
			const dt = DateTime.fromJSDate(d, { zone });
			return dt.toMillis() + dt.offset * MINUTE;
		},
		from: (x) => {
			const w = DateTime.fromMillis(x, { zone: 'utc' });
			// Luxon moves a wall time that DST skips forward, and picks one offset for a repeated hour.
			return DateTime.fromObject(
				{ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: w.second, millisecond: w.millisecond },
				{ zone },
			).toJSDate();
		},
	};
}

function axisFor(mode: ClockMode, unit: ClockUnit, zone: string): Axis {
	// Only "N real hours" is measured on the real axis; everything the calendar defines is wall-clock.
	return mode === 'calendar_hours' && unit === 'hours' ? realAxis : wallClockAxis(zone);
}

/** Counting time from `fromX` on, as [start, end) segments on the axis, before pauses are removed. */
function* countingSegments(fromX: number, mode: ClockMode, calendar: Calendar): Generator<[number, number]> {
	if (mode === 'calendar_hours') {
		yield [fromX, Infinity];
		return;
	}
	const startMin = minutesOf(calendar.workingHours.start);
	const endMin = minutesOf(calendar.workingHours.end);
	const firstDay = Math.floor(fromX / DAY);
	for (let day = firstDay; day < firstDay + MAX_SCAN_DAYS; day++) {
		const dayStart = day * DAY;
		const utc = new Date(dayStart);
		const weekday = utc.getUTCDay() === 0 ? 7 : utc.getUTCDay();
		if (!isWorkingDate(utc.toISOString().slice(0, 10), weekday, calendar)) continue;
		const [a, b] = mode === 'working_days' ? [dayStart, dayStart + DAY] : [dayStart + startMin * MINUTE, dayStart + endMin * MINUTE];
		if (b > fromX) yield [Math.max(a, fromX), b];
	}
	throw new DomainError('CP_INVALID_VALUE', `Calendar has no working time within ${MAX_SCAN_DAYS} days`, { field: 'calendar' });
}

/** Pauses on the axis, clipped to start, sorted and merged; an open pause runs to +Infinity. */
function mergedPauses(pauses: readonly Pause[], axis: Axis, startX: number, openUntil?: Date): [number, number][] {
	const spans = pauses
		.map((p): [number, number] => {
			const from = axis.to(p.from);
			const to = p.to === null ? (openUntil ? axis.to(openUntil) : Infinity) : axis.to(p.to);
			return [Math.max(from, startX), Math.max(to, from, startX)];
		})
		.filter(([a, b]) => b > a)
		.sort((x, y) => x[0] - y[0]);
	const merged: [number, number][] = [];
	for (const [a, b] of spans) {
		const last = merged[merged.length - 1];
		if (last && a <= last[1]) last[1] = Math.max(last[1], b);
		else merged.push([a, b]);
	}
	return merged;
}

/** Removes paused spans from a segment. */
function* minusPauses([a, b]: [number, number], pauses: readonly [number, number][]): Generator<[number, number]> {
	let cursor = a;
	for (const [pa, pb] of pauses) {
		if (pb <= cursor) continue;
		if (pa >= b) break;
		if (pa > cursor) yield [cursor, pa];
		cursor = Math.max(cursor, pb);
		if (cursor >= b) return;
	}
	if (cursor < b) yield [cursor, b];
}

function validateInput(input: Omit<ClockInput, 'duration'>): void {
	validateCalendar(input.calendar);
	if (!CLOCK_MODES.includes(input.mode)) invalid('mode', `Unknown clock mode '${String(input.mode)}'`);
	if (input.unit !== 'hours' && input.unit !== 'days') invalid('unit', `Unit must be 'hours' or 'days', got '${String(input.unit)}'`);
	if (!(input.start instanceof Date) || Number.isNaN(input.start.getTime())) invalid('start', 'Clock start is not a valid date');
	for (const p of input.pauses ?? []) {
		if (!(p.from instanceof Date) || Number.isNaN(p.from.getTime())) invalid('pauses', 'Pause start is not a valid date');
		if (p.to !== null && (!(p.to instanceof Date) || Number.isNaN(p.to.getTime()) || p.to < p.from)) {
			invalid('pauses', `Pause ending ${String(p.to)} ends before it starts`);
		}
	}
}

/** Length of the duration on the clock's axis. */
export function durationMs(duration: number, unit: ClockUnit, mode: ClockMode, calendar: Calendar): number {
	if (!Number.isFinite(duration) || duration <= 0) invalid('duration', `Duration must be a positive number, got ${duration}`);
	if (unit === 'hours') return duration * HOUR;
	if (mode === 'working_hours') {
		return duration * (minutesOf(calendar.workingHours.end) - minutesOf(calendar.workingHours.start)) * MINUTE;
	}
	return duration * DAY;
}

/**
 * The instant the deadline falls due, or null while a pause that began before
 * the deadline was reached is still open (the deadline is then unknown).
 */
export function computeDueAt(input: ClockInput): Date | null {
	validateInput(input);
	let remainingMs = durationMs(input.duration, input.unit, input.mode, input.calendar);
	const axis = axisFor(input.mode, input.unit, input.calendar.zone);
	const startX = axis.to(input.start);
	const pauses = mergedPauses(input.pauses ?? [], axis, startX);
	for (const segment of countingSegments(startX, input.mode, input.calendar)) {
		for (const [a, b] of minusPauses(segment, pauses)) {
			if (b - a >= remainingMs) return axis.from(a + remainingMs);
			remainingMs -= b - a;
		}
		// Everything from here on is inside an open pause: the deadline is not known yet.
		const last = pauses[pauses.length - 1];
		if (last && last[1] === Infinity && segment[1] > last[0]) return null;
	}
	return null;
}

/** Counted time between start and end (open pauses run until `end`), on the clock's axis. */
export function elapsedBusinessMs(input: Omit<ClockInput, 'duration'> & { end: Date }): number {
	validateInput(input);
	const axis = axisFor(input.mode, input.unit, input.calendar.zone);
	const startX = axis.to(input.start);
	const endX = axis.to(input.end);
	if (endX <= startX) return 0;
	const pauses = mergedPauses(input.pauses ?? [], axis, startX, input.end);
	let total = 0;
	for (const segment of countingSegments(startX, input.mode, input.calendar)) {
		if (segment[0] >= endX) break;
		for (const [a, b] of minusPauses([segment[0], Math.min(segment[1], endX)], pauses)) total += b - a;
		if (segment[1] >= endX) break;
	}
	return total;
}

export interface Remaining {
	/** Counted time left; negative when overdue. */
	businessMs: number;
	overdue: boolean;
	/** A pause is running at `now`, so the clock is stopped. */
	paused: boolean;
}

/** Time left on the clock at `now`. */
export function remaining(input: ClockInput, now: Date): Remaining {
	const total = durationMs(input.duration, input.unit, input.mode, input.calendar);
	const businessMs = total - elapsedBusinessMs({ ...input, end: now });
	const paused = (input.pauses ?? []).some((p) => p.from <= now && (p.to === null || p.to > now));
	return { businessMs, overdue: businessMs < 0, paused };
}

/** Breached iff the response (or, while unanswered, now) is after the due instant; on time at exactly the due instant. */
export function isBreached(dueAt: Date | null, respondedAtOrNow: Date): boolean {
	return dueAt !== null && respondedAtOrNow.getTime() > dueAt.getTime();
}
