/**
 * Complaint intake (CP-1) and the deadlines of the feedback handling form (CP-4):
 * input bounds, the duplicate-submission key, the company calendar from the
 * settings, and the response / resolution due dates with clock pauses.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { DomainError } from '../errors';
import { CLOCK_MODES, DEFAULT_CALENDAR, computeDueAt, validateCalendar, type Calendar, type ClockMode, type ClockUnit, type Pause } from './clock';

/** Longest text accepted per field; the form is printed, so unbounded text is refused rather than cut. */
export const TEXT_LIMITS: Readonly<Record<string, number>> = {
	code: 64,
	summary: 255,
	product: 255,
	batch: 255,
	description: 10_000,
	traceability: 10_000,
	root_cause: 10_000,
	response_content: 10_000,
	verification_note: 2_000,
	no_verification_reason: 2_000,
	no_action_reason: 2_000,
};

/** A received_at a few minutes ahead is clock skew between the caller and the server, not a future date. */
export const CLOCK_SKEW_MS = 5 * 60_000;

function invalid(field: string, message: string): never {
	throw new DomainError('CP_INVALID_VALUE', message, { field });
}

/** Refuses text that is not a string or longer than its limit; names the field. */
export function assertTextBounds(payload: Record<string, unknown>, limits: Readonly<Record<string, number>> = TEXT_LIMITS): void {
	for (const [field, max] of Object.entries(limits)) {
		const v = payload[field];
		if (v === undefined || v === null) continue;
		if (typeof v !== 'string') invalid(field, `${field} must be text`);
		if (v.length > max) invalid(field, `${field} is too long: ${v.length} characters, at most ${max}`);
	}
}

/** Parses a date-time given by a user; refuses garbage and (optionally) dates in the future. */
export function parseInstant(value: unknown, field: string, opts: { now?: Date; notInFuture?: boolean } = {}): Date {
	let d: Date | null = null;
	if (value instanceof Date) d = value;
	else if (typeof value === 'string' && value.trim() !== '') d = new Date(value);
	else if (typeof value === 'number') d = new Date(value);
	if (!d || Number.isNaN(d.getTime())) invalid(field, `${field} is not a valid date-time: '${String(value)}'`);
	if (opts.notInFuture && d.getTime() > (opts.now ?? new Date()).getTime() + CLOCK_SKEW_MS) {
		invalid(field, `${field} cannot be in the future (${d.toISOString()})`);
	}
	return d;
}

/** Lower case, width- and whitespace-normalised, punctuation removed: "纸箱受潮 塌箱!" == "纸箱受潮塌箱". */
export function normaliseText(s: string | null | undefined): string {
	return (s ?? '')
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\p{P}\p{S}\s]+/gu, '');
}

export interface DedupeInput {
	customer: string | number;
	summary: string;
	product?: string | null | undefined;
	batch?: string | null | undefined;
	receivedAt: Date;
	zone?: string;
}

/**
 * Same customer, same complaint text, same product/batch, received the same local day:
 * the same complaint submitted twice (e.g. phone and then mail). Stored in a unique column.
 */
export function complaintDedupeKey(input: DedupeInput): string {
	const day = DateTime.fromJSDate(input.receivedAt, { zone: input.zone ?? DEFAULT_CALENDAR.zone }).toISODate();
	const parts = [String(input.customer), normaliseText(input.summary), normaliseText(input.product), normaliseText(input.batch), day];
	return createHash('sha256').update(parts.join('\u241f')).digest('hex');
}

export interface DeadlineSettings {
	response_hours?: number | null;
	response_mode?: string | null;
	resolution_days?: number | null;
	calendar?: Record<string, unknown> | null;
}

/** The company calendar from cp_settings.calendar, defaults filled in, validated. */
export function calendarFrom(raw: Record<string, unknown> | null | undefined): Calendar {
	const r = (raw ?? {}) as Partial<Calendar>;
	const calendar: Calendar = {
		zone: typeof r.zone === 'string' && r.zone ? r.zone : DEFAULT_CALENDAR.zone,
		workingDays: Array.isArray(r.workingDays) ? r.workingDays.map(Number) : DEFAULT_CALENDAR.workingDays,
		workingHours:
			r.workingHours && typeof r.workingHours === 'object' ? { ...DEFAULT_CALENDAR.workingHours, ...r.workingHours } : DEFAULT_CALENDAR.workingHours,
		holidays: Array.isArray(r.holidays) ? r.holidays.map(String) : [],
		makeUpWorkdays: Array.isArray(r.makeUpWorkdays) ? r.makeUpWorkdays.map(String) : [],
	};
	validateCalendar(calendar);
	return calendar;
}

export interface ClockSettings {
	calendar: Calendar;
	response: { duration: number; unit: ClockUnit; mode: ClockMode };
	resolution: { duration: number; unit: ClockUnit; mode: ClockMode };
}

/**
 * CP-4 settings: response_hours counts in the unit of the mode (hours, or days for working_days).
 * The resolution deadline counts days: calendar days in calendar mode, working days otherwise.
 */
export function clockSettings(s: DeadlineSettings): ClockSettings {
	const mode = (s.response_mode ?? 'calendar_hours') as ClockMode;
	if (!CLOCK_MODES.includes(mode)) invalid('response_mode', `Unknown response clock '${String(s.response_mode)}'`);
	const duration = s.response_hours ?? 72;
	const resolutionDays = s.resolution_days ?? 30;
	return {
		calendar: calendarFrom(s.calendar),
		response: { duration, unit: mode === 'working_days' ? 'days' : 'hours', mode },
		resolution: { duration: resolutionDays, unit: 'days', mode: mode === 'calendar_hours' ? 'calendar_hours' : 'working_days' },
	};
}

export interface StoredPause {
	from: string;
	to: string | null;
	reason: string;
	note?: string | null;
	by?: string | null;
}

export function parsePauses(raw: unknown): StoredPause[] {
	const v = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
	return Array.isArray(v) ? (v as StoredPause[]) : [];
}

/**
 * CP-4: a pause ends by itself after this many (real) hours, 5 days, so a wait nobody resumes
 * cannot stop the clock for ever. A domain constant: cp_settings has no field for it.
 */
export const MAX_PAUSE_HOURS = 120;
const MAX_PAUSE_MS = MAX_PAUSE_HOURS * 3_600_000;

/** When a pause stops the clock no longer: its resume, or its maximum length, whichever comes first. */
export function pauseEnd(p: StoredPause): Date {
	const max = new Date(p.from).getTime() + MAX_PAUSE_MS;
	return new Date(p.to ? Math.min(new Date(p.to).getTime(), max) : max);
}

// Every pause counts at most its maximum; an open one is counted as ending at it, so the due
// dates are always known (the working target while the clock waits).
const toClockPauses = (pauses: readonly StoredPause[]): Pause[] => pauses.map((p) => ({ from: new Date(p.from), to: pauseEnd(p) }));

export interface Deadlines {
	responseDueAt: Date | null;
	resolutionDueAt: Date | null;
}

/** Due dates from the received instant, excluding paused time (each pause at most MAX_PAUSE_HOURS). */
export function complaintDeadlines(receivedAt: Date, settings: DeadlineSettings, pauses: readonly StoredPause[] = []): Deadlines {
	const c = clockSettings(settings);
	const clockPauses = toClockPauses(pauses);
	return {
		responseDueAt: computeDueAt({ start: receivedAt, ...c.response, calendar: c.calendar, pauses: clockPauses }),
		resolutionDueAt: computeDueAt({ start: receivedAt, ...c.resolution, calendar: c.calendar, pauses: clockPauses }),
	};
}

/** A pause is open (not resumed); with `now`, one that has run its maximum length no longer counts as open. */
export const isPaused = (pauses: readonly StoredPause[], now?: Date): boolean =>
	pauses.some((p) => p.to === null && (!now || pauseEnd(p).getTime() > now.getTime()));

/** Closes, at their maximum, the open pauses that have run out by `now` (they ended by themselves). */
export function closeLapsedPauses(pauses: readonly StoredPause[], now: Date): StoredPause[] {
	return pauses.map((p) => (p.to === null && pauseEnd(p).getTime() <= now.getTime() ? { ...p, to: pauseEnd(p).toISOString() } : p));
}

/** Starts a pause (waiting for the customer or a third party); one pause at a time. */
export function startPause(pauses: readonly StoredPause[], now: Date, reason: unknown, by: string | null, note?: string | null): StoredPause[] {
	if (typeof reason !== 'string' || reason.trim() === '') invalid('reason', 'A pause needs a reason (what the clock is waiting for)');
	if (reason.length > 500) invalid('reason', `reason is too long: ${reason.length} characters, at most 500`);
	if (isPaused(pauses)) throw new DomainError('CP_CLOCK_ALREADY_PAUSED', 'The complaint clock is already paused; resume it first', { field: 'pauses' });
	return [...pauses, { from: now.toISOString(), to: null, reason: reason.trim(), ...(note ? { note } : {}), by }];
}

export function endPause(pauses: readonly StoredPause[], now: Date): StoredPause[] {
	if (!isPaused(pauses)) throw new DomainError('CP_CLOCK_NOT_PAUSED', 'The complaint clock is not paused', { field: 'pauses' });
	return pauses.map((p) => (p.to === null ? { ...p, to: now.toISOString() } : p));
}

/** Statuses in which the clock can be paused: not once the complaint is closed. */
export const PAUSABLE_STATUSES: readonly string[] = ['received', 'investigating', 'action', 'responded', 'verifying', 'reopened'];
