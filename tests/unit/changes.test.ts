import { describe, it, expect } from 'vitest';
import {
	CHANGE_KINDS,
	CHANGE_RULES,
	assertChangeAllowed,
	changeConsequence,
	isKnownAspect,
	planChanges,
	type ChangeKind,
} from '../../extensions/customer-processes/src/domain/contract-review/changes';
import { catchError } from './catch-error';

describe('CR-14 change consequences', () => {
	it('CR-14 each kind has its consequence', () => {
		const map = Object.fromEntries(CHANGE_KINDS.map((k) => [k, changeConsequence(k).consequence]));
		expect(map).toEqual({
			quantity: 'new_work_order',
			delivery_date: 'new_work_order',
			price: 'new_quotation',
			structure: 'new_review',
			process: 'product_change_notice',
			termination: 'termination_both_parties',
		});
	});

	it('CR-14 a structure change is re-reviewed by technical, quality, production, purchasing', () => {
		const c = changeConsequence('structure');
		expect(c.reviewDepartments).toEqual(['technical', 'quality', 'production', 'purchasing']);
		expect(c.aspects).toContain('technical.structure');
		expect(c.notifyDepartments).toEqual(['sales', 'technical', 'quality', 'production', 'purchasing']);
	});

	it('CR-14 only new_review consequences carry review departments', () => {
		for (const k of CHANGE_KINDS) {
			if (k !== 'structure') expect(changeConsequence(k).reviewDepartments).toEqual([]);
		}
	});

	it('CR-14 departments are notified: price goes to finance, quantity to production', () => {
		expect(changeConsequence('price').notifyDepartments).toEqual(['sales', 'finance']);
		expect(changeConsequence('quantity').notifyDepartments).toEqual(['sales', 'production', 'purchasing', 'warehouse']);
	});

	it('CR-3 every aspect a change touches exists in the checklist', () => {
		for (const k of CHANGE_KINDS) for (const ref of CHANGE_RULES[k].touches) expect(isKnownAspect(ref), ref).toBe(true);
		expect(isKnownAspect('technical.colour')).toBe(false);
	});

	it('CR-14 combined changes merge consequences and departments', () => {
		expect(planChanges(['quantity', 'price', 'structure', 'quantity'])).toEqual({
			consequences: ['new_work_order', 'new_quotation', 'new_review'],
			reviewDepartments: ['technical', 'quality', 'production', 'purchasing'],
			notifyDepartments: ['sales', 'production', 'purchasing', 'warehouse', 'finance', 'technical', 'quality'],
		});
	});

	it('rejects an unknown change kind', () => {
		expect(catchError(() => changeConsequence('colour' as ChangeKind)).code).toBe('CP_INVALID_VALUE');
	});
});

describe('CR-14 change guard', () => {
	it("CR-14 a change needs the customer's written consent", () => {
		const e = catchError(() => assertChangeAllowed({ kind: 'delivery_date', customerConsentRecorded: false, contractStatus: 'signed' }));
		expect(e.code).toBe('CP_CUSTOMER_CONSENT_REQUIRED');
		expect(e.status).toBe(409);
		expect(e.message).toBe("Change 'delivery_date' not allowed: the customer's written consent is not recorded (CR-14)");
		expect(assertChangeAllowed({ kind: 'delivery_date', customerConsentRecorded: true, contractStatus: 'signed' }).consequence).toBe('new_work_order');
	});

	it('CR-14 termination needs both parties to sign on the original contract', () => {
		const e = catchError(() => assertChangeAllowed({ kind: 'termination', customerConsentRecorded: true, contractStatus: 'in_production' }));
		expect(e.code).toBe('CP_TERMINATION_NOT_SIGNED');
		expect(
			assertChangeAllowed({ kind: 'termination', customerConsentRecorded: true, terminationSignedByBoth: true, contractStatus: 'in_production' }).consequence,
		).toBe('termination_both_parties');
	});

	it('CR-14 a finished, cancelled or draft contract is not changed', () => {
		for (const contractStatus of ['draft', 'in_review', 'completed', 'cancelled', 'terminated'] as const) {
			expect(catchError(() => assertChangeAllowed({ kind: 'price', customerConsentRecorded: true, contractStatus })).code).toBe('CP_CHANGE_NOT_ALLOWED');
		}
	});
});
