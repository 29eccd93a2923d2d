import { describe, it, expect } from 'vitest';
import {
	COMPLAINT_STATUSES,
	assertComplaintTransition,
	closeBlockers,
	statusAfterVerification,
	transitionNeedsActions,
	type ComplaintFacts,
} from '../../extensions/customer-processes/src/domain/complaints/complaint-status';
import { catchError } from './catch-error';

const READY: ComplaintFacts = {
	responseSentAt: new Date('2026-03-03T02:00:00Z'),
	actions: [{ status: 'done' }, { status: 'cancelled' }],
	verification: 'confirmed',
	noVerificationReason: null,
	rootCause: 'Glue line temperature too low',
	responsibleDepartment: 'production',
};

const ALLOWED: Record<string, string> = {
	'received>investigating': 'investigate',
	'investigating>action': 'plan_action',
	'action>responded': 'respond',
	'responded>verifying': 'request_verification',
	'responded>closed': 'close',
	'verifying>closed': 'close',
	'verifying>reopened': 'reopen',
	'closed>reopened': 'reopen',
	'reopened>investigating': 'investigate',
	'reopened>action': 'plan_action',
};

describe('complaint transition table (CP-1..CP-5)', () => {
	for (const from of COMPLAINT_STATUSES) {
		for (const to of COMPLAINT_STATUSES) {
			const guard = ALLOWED[`${from}>${to}`];
			// verifying -> reopened is only legal with a rejected verification.
			const facts = from === 'verifying' && to === 'reopened' ? { ...READY, verification: 'rejected' as const } : READY;
			if (guard) {
				it(`allows ${from} -> ${to} via ${guard}`, () => {
					expect(assertComplaintTransition(from, to, facts)).toBe(guard);
				});
			} else {
				it(`refuses ${from} -> ${to}`, () => {
					expect(catchError(() => assertComplaintTransition(from, to, READY)).code).toBe('CP_ILLEGAL_TRANSITION');
				});
			}
		}
	}
});

describe('complaint guards', () => {
	it('CP-2 actions are planned only after root cause and responsible department', () => {
		const e = catchError(() => assertComplaintTransition('investigating', 'action', { rootCause: ' ', responsibleDepartment: null }));
		expect(e.code).toBe('CP_INVESTIGATION_INCOMPLETE');
		expect(e.message).toBe("Complaint cannot move from 'investigating' to 'action': root cause is empty (CP-2); responsible department not assigned (CP-2)");
	});

	it('CP-4 responded needs the written response to be sent', () => {
		expect(catchError(() => assertComplaintTransition('action', 'responded', { responseSentAt: null })).code).toBe('CP_RESPONSE_NOT_SENT');
	});

	it('CP-5 a rejected verification reopens; a confirmed one closes', () => {
		expect(statusAfterVerification('rejected')).toBe('reopened');
		expect(statusAfterVerification('confirmed')).toBe('closed');
		expect(assertComplaintTransition('verifying', 'reopened', { ...READY, verification: 'rejected' })).toBe('reopen');
		const e = catchError(() => assertComplaintTransition('verifying', 'reopened', READY));
		expect(e.code).toBe('CP_VERIFICATION_NOT_REJECTED');
	});

	it('CP-5 closing with a rejected verification is refused', () => {
		const e = catchError(() => assertComplaintTransition('verifying', 'closed', { ...READY, verification: 'rejected' }));
		expect(e.code).toBe('CP_COMPLAINT_NOT_CLOSABLE');
		expect(e.message).toBe('Complaint cannot be closed: customer rejected the re-verification; the complaint must be reopened (CP-5)');
	});

	it('CP-3/CP-4/CP-5 closeBlockers lists every missing item', () => {
		expect(closeBlockers({ responseSentAt: null, actions: [{ status: 'open' }, { status: 'done' }, { status: 'in_progress' }], verification: null })).toEqual([
			{ requirement: 'CP-3', field: 'actions', message: '2 corrective action(s) not done' },
			{ requirement: 'CP-4', field: 'response_sent_at', message: 'written response to the customer not sent' },
			{ requirement: 'CP-5', field: 'verification', message: 'customer re-verification not recorded (or a reason why it is not possible)' },
		]);
	});

	it('CP-3 a complaint without any corrective action cannot close unless a reason is recorded', () => {
		const facts = { ...READY, actions: [] };
		expect(closeBlockers(facts)).toEqual([{ requirement: 'CP-3', field: 'actions', message: 'no corrective action recorded' }]);
		expect(closeBlockers({ ...facts, noActionReason: 'Complaint unfounded: product within spec' })).toEqual([]);
	});

	it('CP-5 closing without verification needs a recorded reason', () => {
		const facts = { ...READY, verification: null };
		expect(catchError(() => assertComplaintTransition('responded', 'closed', facts)).details?.blockers).toHaveLength(1);
		expect(assertComplaintTransition('responded', 'closed', { ...facts, noVerificationReason: 'Customer declined re-inspection' })).toBe('close');
	});

	it('CP-3/CP-4/CP-5 a fully handled complaint has no blockers', () => {
		expect(closeBlockers(READY)).toEqual([]);
	});
});

// Issue 14: the adapter reads a complaint's corrective actions only for a move that needs them.
describe('transitionNeedsActions: only a gate that looks at the actions loads them (CP-3)', () => {
	const outcome = (from: string, to: string, facts: ComplaintFacts) => {
		try {
			return assertComplaintTransition(from as any, to as any, facts);
		} catch (e) {
			return `${(e as { code?: string }).code}: ${(e as Error).message}`;
		}
	};
	for (const from of COMPLAINT_STATUSES) {
		for (const to of COMPLAINT_STATUSES) {
			if (transitionNeedsActions(from, to)) continue;
			it(`${from} -> ${to} decides the same whatever the actions`, () => {
				for (const base of [READY, { ...READY, verification: 'rejected' as const }, {}]) {
					const none = outcome(from, to, { ...base, actions: [], noActionReason: null });
					expect(outcome(from, to, { ...base, actions: [{ status: 'open' }] })).toBe(none);
					expect(outcome(from, to, { ...base, actions: [{ status: 'done' }] })).toBe(none);
				}
			});
		}
	}
	it('closing needs them', () => {
		expect(transitionNeedsActions('responded', 'closed')).toBe(true);
		expect(transitionNeedsActions('verifying', 'closed')).toBe(true);
		expect(transitionNeedsActions('received', 'investigating')).toBe(false);
		expect(transitionNeedsActions('closed', 'closed')).toBe(false);
	});
});
