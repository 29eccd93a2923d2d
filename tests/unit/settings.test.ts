// Process settings are the administrator's and their values keep the procedures' floors (X-6, CR-17,
// CC-4, PR-5): the domain check of a settings change, and the change as the audit trail records it.
import { describe, expect, it } from 'vitest';
import { settingsChanges, validateSettingsChange } from '../../extensions/customer-processes/src/domain/settings';
import { catchError } from './catch-error';

const QUALITY_ROLE = 'c0ffee00-0000-4000-8000-000000000003';
const GM_ROLE = 'c0ffee00-0000-4000-8000-000000000009';
const facts = { roleIds: [QUALITY_ROLE, GM_ROLE] };
const check = (change: Record<string, unknown>) => () => validateSettingsChange(change, facts);

describe('CR-17 retention: never below the legal three years ("保存期一般以三年为限")', () => {
	it('refuses 0, -1, 2 and 2.5 naming the field by its label; accepts 3, 10 and the default (null)', () => {
		for (const years of [0, -1, 2, 2.5, '2', 'three']) {
			const e = catchError(check({ retention_years: years }));
			expect(e.code).toBe('CP_INVALID_VALUE');
			expect(e.status).toBe(400);
			expect(e.field).toBe('retention_years');
			expect(e.message).toContain('Retention (years)');
		}
		expect(catchError(check({ retention_years: 2 })).message).toMatch(/at least 3/);
		for (const years of [3, '3', 10, null]) expect(check({ retention_years: years })).not.toThrow();
	});
});

describe('X-6 department map: department keys to existing Directus roles', () => {
	it('accepts a map of slugs to existing role ids, and two departments held by one role', () => {
		expect(check({ departments: { quality: QUALITY_ROLE, gm: GM_ROLE } })).not.toThrow();
		expect(check({ departments: { quality: GM_ROLE, gm: GM_ROLE } })).not.toThrow();
		expect(check({ departments: JSON.stringify({ quality: QUALITY_ROLE }) })).not.toThrow();
	});
	it('refuses a role that does not exist, a key that is not a department key, and anything but a map', () => {
		const ghost = catchError(check({ departments: { quality: 'c0ffee00-0000-4000-8000-999999999999' } }));
		expect(ghost.field).toBe('departments');
		expect(ghost.message).toContain('Departments');
		expect(ghost.message).toMatch(/quality/);
		expect(catchError(check({ departments: { Quality: QUALITY_ROLE } })).field).toBe('departments');
		expect(catchError(check({ departments: { 'quality dept': QUALITY_ROLE } })).field).toBe('departments');
		expect(catchError(check({ departments: { quality: 3 } })).field).toBe('departments');
		expect(catchError(check({ departments: [QUALITY_ROLE] })).field).toBe('departments');
		expect(catchError(check({ departments: 'quality' })).field).toBe('departments');
	});
});

describe('CP-4, CC-4, PR-5 deadlines and cadences: positive whole numbers within the procedures', () => {
	it('refuses zero, negatives and fractions of the response and resolution deadlines', () => {
		for (const field of ['response_hours', 'resolution_days', 'check_interval_months', 'survey_cadence_months']) {
			for (const v of [0, -5, 1.5]) expect(catchError(check({ [field]: v })).field).toBe(field);
		}
		expect(check({ response_hours: 72, resolution_days: 30 })).not.toThrow();
	});
	it('CC-4: satisfaction surveyed at least quarterly (at most every 3 months)', () => {
		expect(check({ survey_cadence_months: 3 })).not.toThrow();
		const e = catchError(check({ survey_cadence_months: 4 }));
		expect(e.field).toBe('survey_cadence_months');
		expect(e.message).toContain('Survey cadence (months)');
	});
	it('PR-5: customer property checked at least every 6 months', () => {
		expect(check({ check_interval_months: 6 })).not.toThrow();
		expect(catchError(check({ check_interval_months: 7 })).field).toBe('check_interval_months');
	});
	it('leaves the fields it has no rule for alone', () => {
		expect(check({ company_name: 'x', refuse_oral_orders: true })).not.toThrow();
	});
});

describe('X-2 a settings change as the audit trail records it', () => {
	it('names only the fields whose value changes, with previous and new value', () => {
		const before = { retention_years: 3, company_name: 'A', departments: { quality: QUALITY_ROLE } };
		expect(settingsChanges(before, { retention_years: 5, company_name: 'A', departments: { quality: GM_ROLE } })).toEqual({
			retention_years: { from: 3, to: 5 },
			departments: { from: { quality: QUALITY_ROLE }, to: { quality: GM_ROLE } },
		});
		expect(settingsChanges(before, { company_name: 'A' })).toEqual({});
		expect(settingsChanges({}, { company_name: 'B' })).toEqual({ company_name: { from: null, to: 'B' } });
	});
});
