/**
 * Options of the indicators, as query parameters: from/to (local dates, both included, in the
 * company zone), customer (key or customer code) and department (a department key).
 */
import { DateTime } from 'luxon';
import { DomainError } from '../errors';
import { DEFAULT_ZONE } from '../schedule/periods';

export interface KpiOptions {
	from: string | null;
	to: string | null;
	/** Instants bounding the period: start of `from`, start of the day after `to` (exclusive). */
	fromInstant: Date | null;
	toInstant: Date | null;
	/** As given (key or code); the adapter resolves it to a key. */
	customer: string | null;
	department: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(v: unknown, field: string, zone: string): DateTime | null {
	if (v === undefined || v === null || v === '') return null;
	const dt = typeof v === 'string' && DAY.test(v) ? DateTime.fromISO(v, { zone }) : null;
	if (!dt || !dt.isValid) throw new DomainError('CP_INVALID_VALUE', `${field} must be a date YYYY-MM-DD, got '${String(v)}'`, { field });
	return dt.startOf('day');
}

function text(v: unknown, field: string, max = 64): string | null {
	if (v === undefined || v === null || v === '') return null;
	if (typeof v !== 'string' || v.length > max || !/^[\w.\-:+]+$/u.test(v)) {
		throw new DomainError('CP_INVALID_VALUE', `${field} must be a single key or code, got '${String(v).slice(0, 80)}'`, { field });
	}
	return v;
}

/**
 * Parses and checks the options. `departments` are the known department keys (settings): an
 * unknown key is refused rather than silently matching nothing.
 */
export function parseKpiOptions(query: Record<string, unknown>, departments: readonly string[], zone: string = DEFAULT_ZONE): KpiOptions {
	const from = day(query.from, 'from', zone);
	const to = day(query.to, 'to', zone);
	if (from && to && to < from) throw new DomainError('CP_INVALID_VALUE', `to (${to.toISODate()}) is before from (${from.toISODate()})`, { field: 'to' });
	const department = text(query.department, 'department');
	if (department && departments.length && !departments.includes(department)) {
		throw new DomainError('CP_INVALID_VALUE', `department must be one of ${departments.join(', ')}, got '${department}'`, { field: 'department' });
	}
	return {
		from: from?.toISODate() ?? null,
		to: to?.toISODate() ?? null,
		fromInstant: from?.toJSDate() ?? null,
		toInstant: to?.plus({ days: 1 }).toJSDate() ?? null,
		customer: text(query.customer, 'customer'),
		department,
	};
}

/** Rounds an aggregate for display and comparison (2 decimals); null stays null. */
export function round2(v: unknown): number | null {
	if (v === null || v === undefined || v === '') return null;
	const n = Number(v);
	return Number.isFinite(n) ? Math.round(n * 100) / 100 : null;
}

/** Share of `part` in `whole`, 0..1 with 4 decimals; null when there is nothing to divide. */
export function ratio(part: number, whole: number): number | null {
	return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}
