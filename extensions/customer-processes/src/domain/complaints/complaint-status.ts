/**
 * Complaint (customer feedback) lifecycle, CP-1..CP-5 (Doc 2 4.6.4):
 * received -> Quality investigates -> corrective action -> written response
 * -> customer re-verification -> closed; a rejected verification reopens.
 */
import { DomainError, type GuardFailure, isBlank, lookupTransition, throwIfFailures, type TransitionTable } from '../errors';
import { CATALOGUE, values } from '../catalogue';

export const COMPLAINT_STATUSES = values(CATALOGUE.cp_complaints.status);
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
/** Every status but 'closed': the deadline watch names them (an index serves an IN list, not `<>`). */
export const COMPLAINT_OPEN_STATUSES: readonly ComplaintStatus[] = COMPLAINT_STATUSES.filter((s) => s !== 'closed');

export type ComplaintGuard = 'investigate' | 'plan_action' | 'respond' | 'request_verification' | 'close' | 'reopen';

export const COMPLAINT_TRANSITIONS = {
	received: { investigating: 'investigate' },
	investigating: { action: 'plan_action' },
	// The response reports the rectification status, so actions may still be running (CP-4).
	action: { responded: 'respond' },
	// Closing straight from responded is for a recorded reason why the customer cannot re-verify.
	responded: { verifying: 'request_verification', closed: 'close' },
	verifying: { closed: 'close', reopened: 'reopen' },
	closed: { reopened: 'reopen' },
	reopened: { investigating: 'investigate', action: 'plan_action' },
} as const satisfies TransitionTable<ComplaintStatus, ComplaintGuard>;

/** Corrective-action statuses that no longer block closing. */
export const ACTION_FINISHED_STATUSES: readonly string[] = ['done', 'cancelled'];

export type Verification = 'confirmed' | 'rejected' | null;

export interface ComplaintFacts {
	responseSentAt?: Date | string | null | undefined;
	actions?: readonly { status: string }[] | undefined;
	verification?: Verification | undefined;
	noVerificationReason?: string | null | undefined;
	/** Set when investigation found no corrective action is needed (e.g. complaint unfounded). */
	noActionReason?: string | null | undefined;
	rootCause?: string | null | undefined;
	responsibleDepartment?: string | null | undefined;
}

export interface CloseBlocker {
	requirement: 'CP-3' | 'CP-4' | 'CP-5';
	field: string;
	message: string;
}

/** Every reason the complaint cannot be closed yet; empty means it can close. */
export function closeBlockers(facts: ComplaintFacts): CloseBlocker[] {
	const blockers: CloseBlocker[] = [];
	const actions = facts.actions ?? [];
	if (actions.length === 0 && isBlank(facts.noActionReason)) {
		blockers.push({ requirement: 'CP-3', field: 'actions', message: 'no corrective action recorded' });
	}
	const unfinished = actions.filter((a) => !ACTION_FINISHED_STATUSES.includes(a.status)).length;
	if (unfinished > 0) {
		blockers.push({ requirement: 'CP-3', field: 'actions', message: `${unfinished} corrective action(s) not done` });
	}
	if (facts.responseSentAt === undefined || facts.responseSentAt === null || facts.responseSentAt === '') {
		blockers.push({ requirement: 'CP-4', field: 'response_sent_at', message: 'written response to the customer not sent' });
	}
	if (facts.verification === 'rejected') {
		blockers.push({
			requirement: 'CP-5',
			field: 'verification',
			message: 'customer rejected the re-verification; the complaint must be reopened',
		});
	} else if (facts.verification !== 'confirmed' && isBlank(facts.noVerificationReason)) {
		blockers.push({
			requirement: 'CP-5',
			field: 'verification',
			message: 'customer re-verification not recorded (or a reason why it is not possible)',
		});
	}
	return blockers;
}

/** Where a recorded verification leads: confirmed closes (if nothing else blocks), rejected reopens. */
export function statusAfterVerification(verification: 'confirmed' | 'rejected'): ComplaintStatus {
	return verification === 'rejected' ? 'reopened' : 'closed';
}

/** The guards whose rule looks at the complaint's corrective actions (CP-3 closing gate). */
const ACTION_GUARDS: readonly ComplaintGuard[] = ['close'];

/**
 * Whether moving `from` -> `to` needs the complaint's actions: only those transitions load them
 * (issue 14). An unknown move needs none: it is refused before any gate is asked.
 */
export function transitionNeedsActions(from: string, to: string): boolean {
	if (from === to) return false;
	const guard = (COMPLAINT_TRANSITIONS as Record<string, Record<string, ComplaintGuard> | undefined>)[from]?.[to];
	return guard !== undefined && ACTION_GUARDS.includes(guard);
}

const GUARDS: Record<ComplaintGuard, (f: ComplaintFacts) => GuardFailure[]> = {
	investigate: () => [],
	// CP-2: the investigation ends with a root cause and a responsible department.
	plan_action: (f) => {
		const failures: GuardFailure[] = [];
		if (isBlank(f.rootCause)) {
			failures.push({ code: 'CP_INVESTIGATION_INCOMPLETE', message: 'root cause is empty (CP-2)', field: 'root_cause' });
		}
		if (isBlank(f.responsibleDepartment)) {
			failures.push({
				code: 'CP_INVESTIGATION_INCOMPLETE',
				message: 'responsible department not assigned (CP-2)',
				field: 'responsible_department',
			});
		}
		return failures;
	},
	respond: (f) =>
		f.responseSentAt ? [] : [{ code: 'CP_RESPONSE_NOT_SENT', message: 'the written response has not been sent (CP-4)', field: 'response_sent_at' }],
	request_verification: () => [],
	close: (f) =>
		closeBlockers(f).map((b) => ({
			code: 'CP_COMPLAINT_NOT_CLOSABLE' as const,
			message: `${b.message} (${b.requirement})`,
			field: b.field,
		})),
	// Reopening from verifying needs the customer's rejection on record; a closed complaint can be reopened when the customer comes back.
	reopen: () => [],
};

export function assertComplaintTransition(from: ComplaintStatus, to: ComplaintStatus, facts: ComplaintFacts = {}): ComplaintGuard {
	const guard: ComplaintGuard = lookupTransition('Complaint', COMPLAINT_TRANSITIONS, from, to);
	const failures = GUARDS[guard](facts);
	if (guard === 'reopen' && from === 'verifying' && facts.verification !== 'rejected') {
		failures.push({
			code: 'CP_VERIFICATION_NOT_REJECTED',
			message: `reopening during verification needs the customer's rejection recorded (CP-5)`,
			field: 'verification',
		});
	}
	if (guard === 'close' && failures.length > 0) {
		throw new DomainError('CP_COMPLAINT_NOT_CLOSABLE', `Complaint cannot be closed: ${failures.map((f) => f.message).join('; ')}`, {
			field: failures[0]!.field!,
			details: { from, to, guard, blockers: closeBlockers(facts) },
		});
	}
	throwIfFailures(`Complaint cannot move from '${from}' to '${to}'`, failures, { from, to, guard });
	return guard;
}
