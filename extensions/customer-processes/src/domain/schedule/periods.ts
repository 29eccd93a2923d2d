/**
 * Period arithmetic for scheduled work: PR-5 property checks every 6 months,
 * CC-4 satisfaction surveys at least quarterly. Periods are computed in the
 * company zone, so a survey sent at 00:30 Shanghai time on 1 October counts
 * for Q4 even though it is still 30 September in UTC.
 */
import { DateTime } from 'luxon';
import { DomainError } from '../errors';

export const DEFAULT_ZONE = 'Asia/Shanghai';

function local(date: Date, zone: string): DateTime {
	const dt = DateTime.fromJSDate(date, { zone });
	if (!dt.isValid) throw new DomainError('CP_INVALID_VALUE', `Invalid date or time zone '${zone}'`, { field: 'zone' });
	return dt;
}

/** PR-5: next periodic check, `months` after the last one in local calendar terms (31 Aug + 6 months = 28/29 Feb). */
export function nextCheckDue(lastCheck: Date, months = 6, zone: string = DEFAULT_ZONE): Date {
	if (!Number.isInteger(months) || months <= 0) {
		throw new DomainError('CP_INVALID_VALUE', `Check interval must be a positive whole number of months, got ${months}`, { field: 'months' });
	}
	return local(lastCheck, zone).plus({ months }).toJSDate();
}

/** e.g. '2026-Q4'. */
export function quarterKey(date: Date, zone: string = DEFAULT_ZONE): string {
	const dt = local(date, zone);
	return `${dt.year}-Q${dt.quarter}`;
}

/** Cadences that split the year evenly, so every period has a stable key. */
export const SURVEY_CADENCES = [1, 2, 3, 4, 6, 12] as const;

/**
 * Key of the survey period containing `date`: monthly '2026-05', bimonthly
 * '2026-B3', quarterly '2026-Q2', four-monthly '2026-T2', half-yearly
 * '2026-H1', yearly '2026'.
 */
export function surveyPeriodKey(date: Date, cadenceMonths: number, zone: string = DEFAULT_ZONE): string {
	if (!(SURVEY_CADENCES as readonly number[]).includes(cadenceMonths)) {
		throw new DomainError('CP_INVALID_VALUE', `Survey cadence must be one of ${SURVEY_CADENCES.join(', ')} months, got ${cadenceMonths}`, {
			field: 'cadence_months',
		});
	}
	const dt = local(date, zone);
	const index = Math.floor((dt.month - 1) / cadenceMonths) + 1;
	switch (cadenceMonths) {
		case 1:
			return `${dt.year}-${String(dt.month).padStart(2, '0')}`;
		case 2:
			return `${dt.year}-B${index}`;
		case 3:
			return `${dt.year}-Q${index}`;
		case 4:
			return `${dt.year}-T${index}`;
		case 6:
			return `${dt.year}-H${index}`;
		default:
			return `${dt.year}`;
	}
}

/** CC-4: questionnaires at least quarterly, so a longer cadence is refused as a setting. */
export function assertSurveyCadence(cadenceMonths: number): void {
	if (!(SURVEY_CADENCES as readonly number[]).includes(cadenceMonths) || cadenceMonths > 3) {
		throw new DomainError('CP_INVALID_VALUE', `Survey cadence must be 1, 2 or 3 months: CC-4 requires at least quarterly, got ${cadenceMonths}`, {
			field: 'cadence_months',
		});
	}
}

/** Local calendar date, e.g. '2026-09-30', usable as a period key for dated items (property checks). */
export function localDateKey(date: Date, zone: string = DEFAULT_ZONE): string {
	return local(date, zone).toISODate()!;
}

/**
 * Idempotency key for a scheduled item, e.g. 'survey:42:2026-Q4': the
 * scheduler creates a task only if no task with this key exists.
 */
export function dueKey(kind: string, id: string | number, periodKey: string): string {
	const parts: [string, string][] = [
		['kind', kind],
		['id', String(id)],
		['periodKey', periodKey],
	];
	for (const [field, value] of parts) {
		if (value.trim() === '' || value.includes(':')) {
			throw new DomainError('CP_INVALID_VALUE', `${field} must be non-empty and without ':' (got '${value}')`, { field });
		}
	}
	return `${kind}:${id}:${periodKey}`;
}
