/**
 * What the feedback handling form needs on top of the status table (complaint-status.ts):
 * who may move it, the fields each step must have (CP-2, CP-4, CP-6), the close check
 * listing everything missing, corrective-action reminders (CP-3) and customer links (CP-5).
 */
import { createHash } from 'node:crypto';
import { DomainError, isBlank, lookupTransition, type GuardFailure, throwIfFailures } from '../errors';
import { CATALOGUE, values } from '../catalogue';
import {
	COMPLAINT_TRANSITIONS,
	assertComplaintTransition,
	closeBlockers,
	type ComplaintFacts,
	type ComplaintGuard,
	type ComplaintStatus,
} from './complaint-status';

export interface FormFacts extends ComplaintFacts {
	rootCauseCategory?: string | null | undefined;
	responseContent?: string | null | undefined;
	productDisposition?: string | null | undefined;
}

/**
 * Doc 2 4.6.4: Sales records the feedback, Quality (技术质量部) traces it internally and
 * assigns the responsible department; the response and the closing are Sales' or Quality's.
 */
export const GUARD_DEPARTMENTS: Record<ComplaintGuard, readonly string[]> = {
	investigate: ['quality'],
	plan_action: ['quality'],
	respond: ['quality', 'sales'],
	request_verification: ['quality', 'sales'],
	close: ['quality', 'sales'],
	reopen: ['quality', 'sales'],
};

/** cp_actions statuses that no longer block closing ('verified' is done and checked). */
export const ACTION_DONE: readonly string[] = ['done', 'verified'];

/** Everything missing before the complaint can close, including the CP-6 disposition. */
export function formCloseBlockers(facts: FormFacts): string[] {
	const list = closeBlockers({
		...facts,
		// The domain table knows done/cancelled; on the form "verified" is a finished action too.
		actions: (facts.actions ?? []).map((a) => ({ status: ACTION_DONE.includes(a.status) ? 'done' : a.status })),
	}).map((b) => `${b.message} (${b.requirement})`);
	if (isBlank(facts.productDisposition)) list.push('delivered product disposition not recorded (CP-6)');
	return list;
}

/**
 * Checks one status change of the form; throws CP_ILLEGAL_TRANSITION, CP_NOT_DEPARTMENT_MEMBER,
 * CP_INVESTIGATION_INCOMPLETE, CP_REQUIRED_FIELDS_MISSING or CP_COMPLAINT_NOT_CLOSABLE.
 */
export function assertFormTransition(
	from: ComplaintStatus,
	to: ComplaintStatus,
	facts: FormFacts,
	actor: { departments: readonly string[]; privileged: boolean },
): ComplaintGuard {
	const guard: ComplaintGuard = lookupTransition('Complaint', COMPLAINT_TRANSITIONS, from, to);
	const allowed = GUARD_DEPARTMENTS[guard];
	if (!actor.privileged && !actor.departments.some((d) => allowed.includes(d))) {
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `Moving a complaint from '${from}' to '${to}' is for ${allowed.join(' or ')}`, {
			field: 'status',
			details: { from, to, departments: allowed },
		});
	}
	if (guard === 'close') {
		const missing = formCloseBlockers(facts);
		if (missing.length) {
			throw new DomainError('CP_COMPLAINT_NOT_CLOSABLE', `Complaint cannot be closed: ${missing.join('; ')}`, {
				field: 'status',
				details: { from, to, missing },
			});
		}
	}
	const extra: GuardFailure[] = [];
	if (guard === 'plan_action' && isBlank(facts.rootCauseCategory)) {
		extra.push({ code: 'CP_INVESTIGATION_INCOMPLETE', message: 'root cause category not chosen (CP-2)', field: 'root_cause_category' });
	}
	if (guard === 'respond' && isBlank(facts.responseContent)) {
		extra.push({ code: 'CP_REQUIRED_FIELDS_MISSING', message: 'the written response text is empty (CP-4)', field: 'response_content' });
	}
	try {
		assertComplaintTransition(from, to, {
			...facts,
			actions: (facts.actions ?? []).map((a) => ({ status: ACTION_DONE.includes(a.status) ? 'done' : a.status })),
		});
	} catch (e) {
		if (e instanceof DomainError && Array.isArray(e.details?.failures)) {
			throwIfFailures(`Complaint cannot move from '${from}' to '${to}'`, [...(e.details.failures as GuardFailure[]), ...extra], { from, to, guard });
		}
		throw e;
	}
	throwIfFailures(`Complaint cannot move from '${from}' to '${to}'`, extra, { from, to, guard });
	return guard;
}

export type ActionAlert = 'remind' | 'escalate' | null;

export interface ActionState {
	status: string;
	dueAt: Date | null;
	remindedAt: Date | null;
	escalatedAt: Date | null;
}

/** CP-3: remind the owner once within `leadMs` before the due date, escalate once after it. */
export function actionAlert(a: ActionState, now: Date, leadMs: number): ActionAlert {
	if (ACTION_DONE.includes(a.status) || !a.dueAt) return null;
	if (now.getTime() > a.dueAt.getTime()) return a.escalatedAt ? null : 'escalate';
	if (now.getTime() >= a.dueAt.getTime() - leadMs && !a.remindedAt) return 'remind';
	return null;
}

export const ACTION_STATUSES = values(CATALOGUE.cp_actions.status);

/** Which action status changes a person may make; 'overdue' is set by the scheduler only. */
export const ACTION_TRANSITIONS = {
	open: { done: 'finish' },
	overdue: { done: 'finish' },
	done: { verified: 'verify', open: 'rework' },
	verified: {},
} as const;

export function assertActionTransition(from: string, to: string): void {
	lookupTransition('Action', ACTION_TRANSITIONS as any, from, to);
}

/** Only the SHA-256 of a customer link is stored, so a database reader cannot use the link. */
export function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Tokens are 32 random bytes in base64url: anything else is forged and need not reach the database. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const DEFAULT_LINK_DAYS = 14;

export function linkExpiry(now: Date, days: number = DEFAULT_LINK_DAYS): Date {
	if (!Number.isFinite(days) || days <= 0 || days > 90) {
		throw new DomainError('CP_INVALID_VALUE', `Link validity must be 1..90 days, got ${days}`, { field: 'days' });
	}
	return new Date(now.getTime() + days * 86_400_000);
}

export const VERIFICATION_DECISIONS = values(CATALOGUE.cp_complaints.verification);
export type VerificationDecision = (typeof VERIFICATION_DECISIONS)[number];

export function parseDecision(v: unknown): VerificationDecision {
	if (v !== 'confirmed' && v !== 'rejected') {
		throw new DomainError('CP_INVALID_VALUE', `decision must be 'confirmed' or 'rejected'`, { field: 'decision' });
	}
	return v;
}
