import { describe, it, expect } from 'vitest';
import {
	CONTRACT_STATUSES,
	assertContractTransition,
	type ContractStatus,
	type ContractTransitionContext,
} from '../../extensions/customer-processes/src/domain/contract-review/contract-status';
import { DomainError, ERROR_STATUS } from '../../extensions/customer-processes/src/domain/errors';
import { catchError } from './catch-error';

/** Every fact satisfied: only the table decides. */
const OK: ContractTransitionContext = {
	reviewComplete: true,
	openDiscrepancies: 0,
	pendingDepartments: [],
	channel: 'written',
	oralConfirmed: false,
	refuseOralOrders: false,
	customerIsNew: false,
	kind: 'contract',
	missingFields: [],
	bySystem: true,
	terminationSignedByBoth: true,
	taskNoticeIssued: true,
	actorDepartments: ['sales'],
	isAdmin: false,
};

// Written out by hand (not read from the table) so a table edit makes this test fail.
const ALLOWED: Record<string, string> = {
	'draft>in_review': 'submit',
	'draft>cancelled': 'cancel',
	'in_review>reviewed': 'complete_review',
	'in_review>draft': 'withdraw',
	'in_review>cancelled': 'cancel',
	'reviewed>signed': 'sign',
	'reviewed>in_review': 're_review',
	'reviewed>cancelled': 'cancel',
	'signed>in_production': 'issue_task_notice',
	'signed>in_review': 'structure_change',
	'signed>terminated': 'terminate',
	'in_production>completed': 'complete',
	'in_production>in_review': 'structure_change',
	'in_production>terminated': 'terminate',
};

describe('contract transition table (CR-2, CR-6, CR-13, CR-14)', () => {
	for (const from of CONTRACT_STATUSES) {
		for (const to of CONTRACT_STATUSES) {
			const guard = ALLOWED[`${from}>${to}`];
			if (guard) {
				it(`allows ${from} -> ${to} via ${guard}`, () => {
					expect(assertContractTransition(from, to, OK)).toBe(guard);
				});
			} else {
				it(`refuses ${from} -> ${to}`, () => {
					const e = catchError(() => assertContractTransition(from, to, OK));
					expect(e.code).toBe('CP_ILLEGAL_TRANSITION');
					expect(e.status).toBe(409);
					expect(e.field).toBe('status');
				});
			}
		}
	}

	it('has exactly 14 allowed transitions', () => {
		let count = 0;
		for (const from of CONTRACT_STATUSES) {
			for (const to of CONTRACT_STATUSES) {
				try {
					assertContractTransition(from, to, OK);
					count++;
				} catch {
					/* refused */
				}
			}
		}
		expect(count).toBe(14);
	});

	it('names the allowed targets in the illegal-transition message', () => {
		const e = catchError(() => assertContractTransition('draft', 'signed', OK));
		expect(e.message).toBe("Contract cannot move from 'draft' to 'signed'; allowed from 'draft': in_review, cancelled");
		expect(e.details).toEqual({ from: 'draft', to: 'signed', allowed: ['in_review', 'cancelled'] });
	});

	it('says a final status has no way out', () => {
		const e = catchError(() => assertContractTransition('completed', 'in_production', OK));
		expect(e.message).toContain('none (final status)');
	});

	it('rejects an unknown status as invalid input', () => {
		const e = catchError(() => assertContractTransition('draft', 'approved' as ContractStatus, OK));
		expect(e.code).toBe('CP_INVALID_VALUE');
		expect(e.status).toBe(400);
	});
});

describe('contract guards', () => {
	it('CR-11 sign refused while review lines are pending, naming the departments', () => {
		const e = catchError(() => assertContractTransition('reviewed', 'signed', { ...OK, reviewComplete: false, pendingDepartments: ['quality', 'production'] }));
		expect(e.code).toBe('CP_REVIEW_INCOMPLETE');
		expect(e.status).toBe(409);
		expect(e.message).toBe('Contract cannot be signed: review lines pending for 质量部 Quality, 生产部 Production (CR-11)');
		expect(e.details?.pendingDepartments).toEqual(['quality', 'production']);
	});

	it('CR-2 sign refused when reviewComplete is not asserted at all', () => {
		const e = catchError(() => assertContractTransition('reviewed', 'signed', { ...OK, reviewComplete: undefined }));
		expect(e.code).toBe('CP_REVIEW_INCOMPLETE');
	});

	it('CR-5 sign refused with open discrepancies', () => {
		const e = catchError(() => assertContractTransition('reviewed', 'signed', { ...OK, openDiscrepancies: 2 }));
		expect(e.code).toBe('CP_OPEN_DISCREPANCIES');
		expect(e.message).toBe('Contract cannot be signed: 2 discrepancies are not closed (CR-5)');
	});

	it('CR-11 sign lists every unmet condition at once', () => {
		const e = catchError(() =>
			assertContractTransition('reviewed', 'signed', {
				reviewComplete: false,
				pendingDepartments: ['technical'],
				openDiscrepancies: 1,
				channel: 'oral',
				oralConfirmed: false,
				customerIsNew: true,
				kind: 'order',
				missingFields: ['payment_terms', 'delivery_date'],
			}),
		);
		expect(e.code).toBe('CP_REVIEW_INCOMPLETE');
		expect((e.details?.failures as { code: string }[]).map((f) => f.code)).toEqual([
			'CP_REVIEW_INCOMPLETE',
			'CP_OPEN_DISCREPANCIES',
			'CP_ORAL_ORDER_UNCONFIRMED',
			'CP_FORMAL_CONTRACT_REQUIRED',
			'CP_REQUIRED_FIELDS_MISSING',
		]);
		expect(e.message).toBe(
			'Contract cannot be signed: review lines pending for 研发部 Technical / R&D (CR-11); 1 discrepancy is not closed (CR-5); ' +
				"the customer's confirmation of the oral/phone order is not recorded (CR-10); " +
				"a new customer must sign a formal contract (kind is 'order', needs 'contract') (CR-11); " +
				'required fields empty: payment_terms, delivery_date (CR-11)',
		);
	});

	it('CR-11 sign refused when contract fields are missing', () => {
		const e = catchError(() => assertContractTransition('reviewed', 'signed', { ...OK, missingFields: ['technical_agreement'] }));
		expect(e.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(e.status).toBe(400);
		expect(e.field).toBe('technical_agreement');
		expect(e.details?.missingFields).toEqual(['technical_agreement']);
	});

	it('CR-10 a phone order cannot be signed until the customer confirmation is recorded', () => {
		// The schema's channel 'oral' is "Oral / phone 口头/电话": a phone order is recorded as oral.
		const ctx = { ...OK, kind: 'order' as const, channel: 'oral' as const };
		const e = catchError(() => assertContractTransition('reviewed', 'signed', { ...ctx, oralConfirmed: false }));
		expect(e.code).toBe('CP_ORAL_ORDER_UNCONFIRMED');
		expect(e.field).toBe('oral_confirmed');
		expect(assertContractTransition('reviewed', 'signed', { ...ctx, oralConfirmed: true })).toBe('sign');
	});

	it('CR-10 an online order is kept as a record and needs no oral confirmation', () => {
		expect(assertContractTransition('reviewed', 'signed', { ...OK, kind: 'order', channel: 'online', oralConfirmed: false })).toBe('sign');
	});

	it('CR-10 refuseOralOrders: an oral order cannot even be submitted, a written one can', () => {
		const e = catchError(() => assertContractTransition('draft', 'in_review', { channel: 'oral', refuseOralOrders: true }));
		expect(e.code).toBe('CP_ORAL_ORDERS_REFUSED');
		expect(e.message).toBe('Contract cannot be submitted for review: oral/phone orders are refused by company setting; a written notice is required (CR-10)');
		expect(assertContractTransition('draft', 'in_review', { channel: 'written', refuseOralOrders: true })).toBe('submit');
		expect(assertContractTransition('draft', 'in_review', { channel: 'oral', refuseOralOrders: false })).toBe('submit');
	});

	it('CR-10 refuseOralOrders also blocks signing an oral order that slipped through before the setting', () => {
		const e = catchError(() =>
			assertContractTransition('reviewed', 'signed', { ...OK, kind: 'order', channel: 'oral', oralConfirmed: true, refuseOralOrders: true }),
		);
		expect(e.code).toBe('CP_ORAL_ORDERS_REFUSED');
	});

	it("CR-11 an old customer's confirmed oral order counts as signed", () => {
		expect(assertContractTransition('reviewed', 'signed', { ...OK, customerIsNew: false, kind: 'order', channel: 'oral', oralConfirmed: true })).toBe('sign');
	});

	it('CR-11 a new customer must sign a formal contract, not a confirmed oral order', () => {
		const e = catchError(() =>
			assertContractTransition('reviewed', 'signed', { ...OK, customerIsNew: true, kind: 'order', channel: 'oral', oralConfirmed: true }),
		);
		expect(e.code).toBe('CP_FORMAL_CONTRACT_REQUIRED');
		expect(e.field).toBe('kind');
		expect(assertContractTransition('reviewed', 'signed', { ...OK, customerIsNew: true, kind: 'contract' })).toBe('sign');
	});

	it('CR-11 an unknown customer age is treated as new (fail safe)', () => {
		const e = catchError(() => assertContractTransition('reviewed', 'signed', { ...OK, customerIsNew: undefined, kind: 'order' }));
		expect(e.code).toBe('CP_FORMAL_CONTRACT_REQUIRED');
	});

	it('CR-6 in_review -> reviewed only by the system, never by a user', () => {
		const e = catchError(() => assertContractTransition('in_review', 'reviewed', { ...OK, bySystem: false }));
		expect(e.code).toBe('CP_SYSTEM_ONLY');
		expect(e.status).toBe(403);
	});

	it('CR-6 the system cannot complete a review that still has pending lines', () => {
		const e = catchError(() => assertContractTransition('in_review', 'reviewed', { bySystem: true, reviewComplete: false, pendingDepartments: ['finance'] }));
		expect(e.code).toBe('CP_REVIEW_INCOMPLETE');
		expect(e.message).toBe('Contract cannot be marked reviewed: review lines pending for 财务部 Finance (CR-11)');
	});

	it('only sales (or an admin) withdraws a review', () => {
		const e = catchError(() => assertContractTransition('in_review', 'draft', { actorDepartments: ['production'] }));
		expect(e.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(e.status).toBe(403);
		expect(assertContractTransition('in_review', 'draft', { actorDepartments: ['sales'] })).toBe('withdraw');
		expect(assertContractTransition('in_review', 'draft', { actorDepartments: [], isAdmin: true })).toBe('withdraw');
	});

	it('CR-13 production starts only after the task notice is issued', () => {
		const e = catchError(() => assertContractTransition('signed', 'in_production', { taskNoticeIssued: false }));
		expect(e.code).toBe('CP_TASK_NOTICE_MISSING');
	});

	it('CR-14 termination needs both parties to sign', () => {
		for (const from of ['signed', 'in_production'] as const) {
			const e = catchError(() => assertContractTransition(from, 'terminated', { terminationSignedByBoth: false }));
			expect(e.code).toBe('CP_TERMINATION_NOT_SIGNED');
			expect(assertContractTransition(from, 'terminated', { terminationSignedByBoth: true })).toBe('terminate');
		}
	});

	it('CR-14 a signed contract goes back to review after a structure change, but cannot be cancelled', () => {
		expect(assertContractTransition('signed', 'in_review', {})).toBe('structure_change');
		expect(catchError(() => assertContractTransition('signed', 'cancelled', OK)).code).toBe('CP_ILLEGAL_TRANSITION');
	});

	it('rejects a nonsense discrepancy count', () => {
		expect(catchError(() => assertContractTransition('reviewed', 'signed', { ...OK, openDiscrepancies: -1 })).code).toBe('CP_INVALID_VALUE');
	});
});

describe('DomainError', () => {
	it('derives the HTTP status from the code and keeps field/details', () => {
		const e = new DomainError('CP_NOT_DEPARTMENT_MEMBER', 'x', { field: 'decision', details: { a: 1 } });
		expect(e).toBeInstanceOf(Error);
		expect(e.name).toBe('DomainError');
		expect(e.status).toBe(403);
		expect(e.field).toBe('decision');
		expect(e.details).toEqual({ a: 1 });
		expect(new DomainError('CP_INVALID_VALUE', 'x').status).toBe(400);
		expect(new DomainError('CP_OPEN_DISCREPANCIES', 'x').status).toBe(409);
		expect(new DomainError('CP_INVALID_VALUE', 'x', { status: 422 }).status).toBe(422);
	});

	it('uses only CP_ UPPER_SNAKE codes with 4xx statuses the API documents (and 503 for a damaged audit trail, X-3)', () => {
		for (const [code, status] of Object.entries(ERROR_STATUS)) {
			expect(code).toMatch(/^CP_[A-Z0-9_]+$/);
			if (code === 'CP_AUDIT_UNAVAILABLE') expect(status).toBe(503);
			else expect([400, 403, 404, 409, 410, 429]).toContain(status);
		}
	});
});
