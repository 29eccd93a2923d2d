import { describe, it, expect } from 'vitest';
import {
	assertSurveyCadence,
	dueKey,
	localDateKey,
	nextCheckDue,
	quarterKey,
	surveyPeriodKey,
} from '../../extensions/customer-processes/src/domain/schedule/periods';
import { DomainError } from '../../extensions/customer-processes/src/domain/errors';

const d = (iso: string) => new Date(iso);

describe('PR-5 periodic property checks', () => {
	it('PR-5 next check is 6 months after the last one, in local time', () => {
		expect(nextCheckDue(d('2026-03-15T09:00:00+08:00')).toISOString()).toBe('2026-09-15T01:00:00.000Z');
	});

	it('PR-5 month ends are clamped (31 Aug + 6 months = 28 Feb)', () => {
		expect(nextCheckDue(d('2026-08-31T10:00:00+08:00'), 6, 'Asia/Shanghai').toISOString()).toBe('2027-02-28T02:00:00.000Z');
	});

	it('PR-5 the local date decides: 23:30 UTC on 31 Aug is already 1 Sep in Shanghai', () => {
		expect(nextCheckDue(d('2026-08-31T23:30:00Z'), 6, 'Asia/Shanghai').toISOString()).toBe('2027-02-28T23:30:00.000Z');
		expect(nextCheckDue(d('2026-08-31T23:30:00Z'), 6, 'UTC').toISOString()).toBe('2027-02-28T23:30:00.000Z');
		expect(localDateKey(nextCheckDue(d('2026-08-31T23:30:00Z'), 6, 'Asia/Shanghai'))).toBe('2027-03-01');
	});

	it('PR-5 keeps the wall-clock time across DST', () => {
		expect(nextCheckDue(d('2026-01-10T09:00:00+01:00'), 6, 'Europe/Berlin').toISOString()).toBe('2026-07-10T07:00:00.000Z');
	});

	it('refuses a non-positive interval', () => {
		expect(() => nextCheckDue(d('2026-01-01T00:00:00Z'), 0)).toThrowError(DomainError);
	});
});

describe('CC-4 survey periods', () => {
	const newYearEve = d('2026-09-30T16:30:00Z'); // 1 Oct 00:30 in Shanghai

	it('CC-4 quarter key uses the company zone', () => {
		expect(quarterKey(newYearEve, 'Asia/Shanghai')).toBe('2026-Q4');
		expect(quarterKey(newYearEve, 'UTC')).toBe('2026-Q3');
		expect(quarterKey(d('2026-02-01T00:00:00Z'))).toBe('2026-Q1');
	});

	it('CC-4 survey period keys per cadence', () => {
		const may = d('2026-05-20T12:00:00Z');
		expect(surveyPeriodKey(may, 1)).toBe('2026-05');
		expect(surveyPeriodKey(may, 2)).toBe('2026-B3');
		expect(surveyPeriodKey(may, 3)).toBe('2026-Q2');
		expect(surveyPeriodKey(may, 4)).toBe('2026-T2');
		expect(surveyPeriodKey(may, 6)).toBe('2026-H1');
		expect(surveyPeriodKey(may, 12)).toBe('2026');
		expect(surveyPeriodKey(newYearEve, 3, 'Asia/Shanghai')).toBe(quarterKey(newYearEve, 'Asia/Shanghai'));
		expect(() => surveyPeriodKey(may, 5)).toThrowError(/must be one of 1, 2, 3, 4, 6, 12/);
	});

	it('CC-4 surveys at least quarterly: a longer cadence setting is refused', () => {
		expect(() => assertSurveyCadence(3)).not.toThrow();
		expect(() => assertSurveyCadence(6)).toThrowError(/CC-4 requires at least quarterly/);
	});
});

describe('due keys', () => {
	it('X-4 idempotency key for scheduled work', () => {
		expect(dueKey('survey', 42, '2026-Q4')).toBe('survey:42:2026-Q4');
		expect(dueKey('property_check', 'a1b2', localDateKey(d('2026-09-15T01:00:00Z')))).toBe('property_check:a1b2:2026-09-15');
		expect(() => dueKey('survey', '', '2026-Q4')).toThrowError(DomainError);
		expect(() => dueKey('a:b', 1, '2026')).toThrowError(/kind must be non-empty/);
	});
});
