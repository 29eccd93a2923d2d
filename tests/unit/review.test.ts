import { describe, it, expect } from 'vitest';
import {
	DISCREPANCY_STATUSES,
	actingDepartment,
	assertCanSignLine,
	assertDiscrepancyTransition,
	reviewProgress,
	type DiscrepancyTransitionContext,
} from '../../extensions/customer-processes/src/domain/contract-review/review';
import { catchError } from './catch-error';

describe('CR-6 review progress', () => {
	const lines = [
		{ department: 'production', decision: 'approved' as const, round: 1 },
		{ department: 'quality', decision: 'rejected' as const, round: 1 },
		{ department: 'production', decision: 'approved' as const, round: 2 },
		{ department: 'purchasing', decision: 'pending' as const, round: 2 },
		{ department: 'sales', decision: 'approved' as const, round: 2 },
	];

	it('CR-6 not complete while a line of the round is pending', () => {
		expect(reviewProgress(lines, [], 2)).toEqual({
			complete: false,
			pendingDepartments: ['purchasing'],
			rejectedDepartments: [],
			openDiscrepancies: 0,
		});
	});

	it('CR-6 only lines of the requested round count', () => {
		expect(reviewProgress(lines, [], 1)).toEqual({
			complete: false,
			pendingDepartments: [],
			rejectedDepartments: ['quality'],
			openDiscrepancies: 0,
		});
	});

	it('CR-6 complete when every line of the round is approved and every discrepancy closed', () => {
		const approved = lines.map((l) => ({ ...l, decision: 'approved' as const }));
		expect(reviewProgress(approved, [{ status: 'closed' }, { status: 'closed' }], 2).complete).toBe(true);
	});

	it('CR-5 a resolved but not closed discrepancy still blocks completion', () => {
		const approved = lines.map((l) => ({ ...l, decision: 'approved' as const }));
		const p = reviewProgress(approved, [{ status: 'closed' }, { status: 'resolved' }, { status: 'open' }], 2);
		expect(p.complete).toBe(false);
		expect(p.openDiscrepancies).toBe(2);
	});

	it('CR-6 an empty round is not complete', () => {
		expect(reviewProgress([], [], 1).complete).toBe(false);
	});

	it('CR-6 route departments without a line yet count as pending', () => {
		const p = reviewProgress([{ department: 'sales', decision: 'approved', round: 1 }], [], 1, ['sales', 'warehouse']);
		expect(p).toEqual({ complete: false, pendingDepartments: ['warehouse'], rejectedDepartments: [], openDiscrepancies: 0 });
	});
});

describe('CR-4 sign-off', () => {
	const base = {
		lineDepartment: 'quality',
		userDepartments: ['quality'],
		isAdmin: false,
		decision: 'approved' as const,
		currentDecision: 'pending' as const,
	};

	it('CR-4 a member of the department signs its line', () => {
		expect(assertCanSignLine(base)).toBe('quality');
	});

	it('CR-4 a non-member cannot sign, even when claiming to act as the department', () => {
		const e = catchError(() => assertCanSignLine({ ...base, userDepartments: ['production'] }));
		expect(e.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(e.status).toBe(403);
		expect(e.message).toBe('Only a member of quality can sign its review line (CR-4)');
		expect(catchError(() => assertCanSignLine({ ...base, userDepartments: ['production'], actingAs: 'quality' })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
	});

	it('CR-4 a member acting as another department cannot sign this one', () => {
		expect(catchError(() => assertCanSignLine({ ...base, userDepartments: ['quality', 'sales'], actingAs: 'sales' })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
	});

	it('CR-4 an admin signs only when explicitly acting as the department', () => {
		const e = catchError(() => assertCanSignLine({ ...base, userDepartments: [], isAdmin: true }));
		expect(e.message).toBe('Only a member of quality can sign its review line (CR-4); an admin must act as quality explicitly');
		expect(assertCanSignLine({ ...base, userDepartments: [], isAdmin: true, actingAs: 'quality' })).toBe('quality');
	});

	it('CR-4 a signed line cannot be re-signed', () => {
		for (const currentDecision of ['approved', 'rejected'] as const) {
			const e = catchError(() => assertCanSignLine({ ...base, currentDecision }));
			expect(e.code).toBe('CP_LINE_ALREADY_SIGNED');
			expect(e.status).toBe(409);
		}
	});

	it('CR-4 a rejection needs an opinion', () => {
		const e = catchError(() => assertCanSignLine({ ...base, decision: 'rejected', opinion: '   ' }));
		expect(e.code).toBe('CP_OPINION_REQUIRED');
		expect(e.field).toBe('opinion');
		expect(assertCanSignLine({ ...base, decision: 'rejected', opinion: 'Tolerance ±0.1 cannot be inspected' })).toBe('quality');
	});

	it('CR-4 signing "pending" is not a decision', () => {
		expect(catchError(() => assertCanSignLine({ ...base, decision: 'pending' })).code).toBe('CP_INVALID_VALUE');
	});

	it('actingDepartment: member, admin, nobody', () => {
		expect(actingDepartment({ userDepartments: ['sales'], isAdmin: false }, 'sales')).toBe('sales');
		expect(actingDepartment({ userDepartments: [], isAdmin: true, actingAs: 'gm' }, 'gm')).toBe('gm');
		expect(actingDepartment({ userDepartments: [], isAdmin: true }, 'gm')).toBeNull();
	});
});

describe('CR-5 discrepancy transition table', () => {
	const salesCtx: DiscrepancyTransitionContext = {
		userDepartments: ['sales'],
		isAdmin: false,
		raisedBy: 'quality',
		resolution: 'Customer accepted GB/T 6543 tolerance by fax',
		evidenceCount: 1,
	};
	const qualityCtx: DiscrepancyTransitionContext = { userDepartments: ['quality'], isAdmin: false, raisedBy: 'quality' };
	const allowed: Record<string, DiscrepancyTransitionContext> = {
		'open>resolved': salesCtx,
		'resolved>closed': qualityCtx,
		'resolved>open': qualityCtx,
	};

	for (const from of DISCREPANCY_STATUSES) {
		for (const to of DISCREPANCY_STATUSES) {
			const ctx = allowed[`${from}>${to}`];
			if (ctx) {
				it(`CR-5 allows ${from} -> ${to}`, () => {
					expect(assertDiscrepancyTransition(from, to, ctx)).toBe(from === 'open' ? 'sales' : 'quality');
				});
			} else {
				it(`CR-5 refuses ${from} -> ${to}`, () => {
					expect(catchError(() => assertDiscrepancyTransition(from, to, { ...salesCtx, userDepartments: ['sales', 'quality'] })).code).toBe(
						'CP_ILLEGAL_TRANSITION',
					);
				});
			}
		}
	}

	it('CR-5 only sales resolves, with resolution text and evidence', () => {
		const e = catchError(() =>
			assertDiscrepancyTransition('open', 'resolved', { userDepartments: ['quality'], isAdmin: false, raisedBy: 'quality', resolution: '' }),
		);
		expect(e.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(e.message).toBe(
			"Discrepancy cannot move from 'open' to 'resolved': only sales resolves a discrepancy (CR-5); resolution text is empty (CR-5); no evidence of the customer contact is attached (CR-5)",
		);
	});

	it('CR-5 resolving without evidence is refused', () => {
		const e = catchError(() => assertDiscrepancyTransition('open', 'resolved', { ...salesCtx, evidenceCount: 0 }));
		expect(e.code).toBe('CP_EVIDENCE_REQUIRED');
		expect(e.field).toBe('evidence');
	});

	it('CR-5 only the raising department closes or rejects the resolution', () => {
		const e = catchError(() => assertDiscrepancyTransition('resolved', 'closed', { ...salesCtx }));
		expect(e.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(e.message).toBe("Discrepancy cannot move from 'resolved' to 'closed': only the raising department (quality) can close it (CR-5)");
		expect(catchError(() => assertDiscrepancyTransition('resolved', 'open', { ...salesCtx })).message).toContain('can reopen it');
	});
});
