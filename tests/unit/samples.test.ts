import { describe, expect, it } from 'vitest';
import { assertSampleTransition, SAMPLE_TRANSITIONS, TOOLING_TRANSITIONS } from '../../extensions/customer-processes/src/domain/contract-review/samples';
import { DomainError } from '../../extensions/customer-processes/src/domain/errors';

const quality = { kind: 'sample' as const, actorDepartments: ['quality'], isAdmin: false };
const codeOf = (fn: () => unknown) => {
	try {
		fn();
	} catch (e) {
		return (e as DomainError).code;
	}
	return null;
};

describe('CR-15 sample transitions', () => {
	it('lists every status in both tables', () => {
		expect(Object.keys(SAMPLE_TRANSITIONS).sort()).toEqual(Object.keys(TOOLING_TRANSITIONS).sort());
	});
	it('needs recorded parameters to start and a Quality report to inspect', () => {
		expect(codeOf(() => assertSampleTransition('requested', 'in_progress', { ...quality }))).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(assertSampleTransition('requested', 'in_progress', { ...quality, parameters: 'x' })).toBe('start');
		expect(
			codeOf(() =>
				assertSampleTransition('in_progress', 'inspected', { ...quality, actorDepartments: ['sales'], inspectionResult: 'pass', inspectionReport: 'r' }),
			),
		).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(assertSampleTransition('in_progress', 'inspected', { ...quality, inspectionResult: 'pass', inspectionReport: 'r' })).toBe('inspect');
	});
	it('sends only a passed sample and seals the approved one', () => {
		expect(codeOf(() => assertSampleTransition('inspected', 'sent', { ...quality, inspectionResult: 'fail' }))).toBe('CP_ILLEGAL_TRANSITION');
		expect(assertSampleTransition('inspected', 'in_progress', { ...quality, inspectionResult: 'fail' })).toBe('remake');
		expect(codeOf(() => assertSampleTransition('sent', 'approved', { ...quality }))).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(assertSampleTransition('sent', 'approved', { ...quality, sealedReference: true })).toBe('customer_approves');
		expect(codeOf(() => assertSampleTransition('requested', 'sent', { ...quality }))).toBe('CP_ILLEGAL_TRANSITION');
	});
});

describe('CR-16 tooling transitions', () => {
	const gm = { kind: 'tooling' as const, actorDepartments: ['gm'], isAdmin: false };
	it('needs a positive estimate checked by Sales, then GM approval with plan and consent', () => {
		expect(codeOf(() => assertSampleTransition('requested', 'in_progress', { ...gm, actorDepartments: ['sales'], toolingEstimate: 0 }))).toBe(
			'CP_REQUIRED_FIELDS_MISSING',
		);
		expect(assertSampleTransition('requested', 'in_progress', { ...gm, actorDepartments: ['sales'], toolingEstimate: 100 })).toBe('sales_check');
		expect(codeOf(() => assertSampleTransition('in_progress', 'approved', { ...gm, costSharingPlan: 'p' }))).toBe('CP_CUSTOMER_CONSENT_REQUIRED');
		expect(assertSampleTransition('in_progress', 'approved', { ...gm, costSharingPlan: 'p', customerConsentAt: '2026-11-01' })).toBe('gm_approve');
		expect(codeOf(() => assertSampleTransition('in_progress', 'inspected', { ...gm }))).toBe('CP_ILLEGAL_TRANSITION');
	});
});
