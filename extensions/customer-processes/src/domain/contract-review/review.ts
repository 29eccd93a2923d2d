/**
 * Review lines (CR-4, CR-6) and discrepancy items (CR-5).
 */
import { DomainError, type GuardFailure, isBlank, lookupTransition, throwIfFailures, type TransitionTable } from '../errors';
import { uniqueInOrder } from '../departments';
import { CATALOGUE, values } from '../catalogue';

export const REVIEW_DECISIONS = values(CATALOGUE.cp_review_lines.decision);
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface ReviewLineFact {
	department: string;
	decision: ReviewDecision;
	round: number;
}

export const DISCREPANCY_STATUSES = values(CATALOGUE.cp_discrepancies.status);
export type DiscrepancyStatus = (typeof DISCREPANCY_STATUSES)[number];

export interface ReviewProgress {
	complete: boolean;
	pendingDepartments: string[];
	rejectedDepartments: string[];
	/** Discrepancies not yet closed: a resolved item still needs the raising department's sign-off. */
	openDiscrepancies: number;
}

/**
 * CR-6: a round is complete when all its lines are approved and no discrepancy
 * is left unclosed. Pass `requiredDepartments` (from the route) to also count
 * departments whose line has not been created yet as pending.
 */
export function reviewProgress(
	lines: readonly ReviewLineFact[],
	discrepancies: readonly { status: DiscrepancyStatus }[],
	round: number,
	requiredDepartments: readonly string[] = [],
): ReviewProgress {
	const current = lines.filter((l) => l.round === round);
	const present = new Set(current.map((l) => l.department));
	const pendingDepartments = uniqueInOrder([
		...requiredDepartments.filter((d) => !present.has(d)),
		...current.filter((l) => l.decision === 'pending').map((l) => l.department),
	]);
	const rejectedDepartments = uniqueInOrder(current.filter((l) => l.decision === 'rejected').map((l) => l.department));
	const openDiscrepancies = discrepancies.filter((d) => d.status !== 'closed').length;
	return {
		// An empty round is not "complete": nobody has reviewed anything.
		complete: current.length > 0 && pendingDepartments.length === 0 && rejectedDepartments.length === 0 && openDiscrepancies === 0,
		pendingDepartments,
		rejectedDepartments,
		openDiscrepancies,
	};
}

export interface Actor {
	userDepartments: readonly string[];
	isAdmin: boolean;
	/** Department the user explicitly acts for; an admin must name it to act for a department they are not in. */
	actingAs?: string | undefined;
}

/**
 * CR-4 / X-2: the department the actor acts as for `department`, or null if
 * they may not. Admins may act as any department, but only when they say so.
 */
export function actingDepartment(actor: Actor, department: string): string | null {
	if (actor.actingAs !== undefined && actor.actingAs !== department) return null;
	if (actor.userDepartments.includes(department)) return department;
	if (actor.isAdmin && actor.actingAs === department) return department;
	return null;
}

export interface SignLineInput extends Actor {
	lineDepartment: string;
	decision: ReviewDecision;
	currentDecision: ReviewDecision;
	opinion?: string | null | undefined;
}

/** CR-4: checks a sign-off and returns the department signed as (for the audit record). */
export function assertCanSignLine(input: SignLineInput): string {
	if (input.currentDecision !== 'pending') {
		throw new DomainError(
			'CP_LINE_ALREADY_SIGNED',
			`Review line for ${input.lineDepartment} is already ${input.currentDecision}; a signed line cannot be re-signed (CR-4)`,
			{ field: 'decision', details: { currentDecision: input.currentDecision } },
		);
	}
	if (input.decision !== 'approved' && input.decision !== 'rejected') {
		throw new DomainError('CP_INVALID_VALUE', `Decision must be 'approved' or 'rejected', got '${input.decision}' (CR-4)`, {
			field: 'decision',
		});
	}
	const as = actingDepartment(input, input.lineDepartment);
	if (as === null) {
		const hint = input.isAdmin ? `; an admin must act as ${input.lineDepartment} explicitly` : '';
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `Only a member of ${input.lineDepartment} can sign its review line (CR-4)${hint}`, {
			field: 'decision',
			details: { lineDepartment: input.lineDepartment, actingAs: input.actingAs ?? null },
		});
	}
	// A rejection without a reason leaves sales nothing to resolve (CR-5).
	if (input.decision === 'rejected' && isBlank(input.opinion)) {
		throw new DomainError('CP_OPINION_REQUIRED', `A rejected review line needs an opinion (CR-4)`, { field: 'opinion' });
	}
	return as;
}

export type DiscrepancyGuard = 'resolve' | 'accept_resolution' | 'reject_resolution';

export const DISCREPANCY_TRANSITIONS = {
	// Sales resolves with the customer and keeps the evidence (call notes, fax, letter, mail).
	open: { resolved: 'resolve' },
	// The department that raised the item decides whether the resolution is acceptable.
	resolved: { closed: 'accept_resolution', open: 'reject_resolution' },
	closed: {},
} as const satisfies TransitionTable<DiscrepancyStatus, DiscrepancyGuard>;

export interface DiscrepancyTransitionContext extends Actor {
	/** Department that raised the discrepancy. */
	raisedBy: string;
	resolution?: string | null | undefined;
	/** Number of evidence records (files, call notes) attached. */
	evidenceCount?: number | undefined;
}

/** CR-5: checks a discrepancy status change; returns the department the actor acted as. */
export function assertDiscrepancyTransition(from: DiscrepancyStatus, to: DiscrepancyStatus, ctx: DiscrepancyTransitionContext): string {
	const guard: DiscrepancyGuard = lookupTransition('Discrepancy', DISCREPANCY_TRANSITIONS, from, to);
	const failures: GuardFailure[] = [];
	const owner = guard === 'resolve' ? 'sales' : ctx.raisedBy;
	const as = actingDepartment(ctx, owner);
	if (as === null) {
		failures.push({
			code: 'CP_NOT_DEPARTMENT_MEMBER',
			message:
				guard === 'resolve'
					? `only sales resolves a discrepancy (CR-5)`
					: `only the raising department (${ctx.raisedBy}) can ${guard === 'accept_resolution' ? 'close' : 'reopen'} it (CR-5)`,
			field: 'status',
		});
	}
	if (guard === 'resolve') {
		if (isBlank(ctx.resolution)) {
			failures.push({ code: 'CP_RESOLUTION_REQUIRED', message: `resolution text is empty (CR-5)`, field: 'resolution' });
		}
		if (!(ctx.evidenceCount !== undefined && ctx.evidenceCount > 0)) {
			failures.push({
				code: 'CP_EVIDENCE_REQUIRED',
				message: `no evidence of the customer contact is attached (CR-5)`,
				field: 'evidence',
			});
		}
	}
	throwIfFailures(`Discrepancy cannot move from '${from}' to '${to}'`, failures, { from, to, guard });
	return as!;
}

/** the audit actions that open a review round (its submission time starts the cycle). */
export const ROUND_OPENINGS = ['submitted', 'resubmitted', 'change_review'] as const;

/**
 * what a completion records of its round, so that the cycle-time indicator is one pass over
 * the completions: when the round was (re)submitted and the hours from then to the completion.
 * Nothing when the submission time is unknown (a round opened before the contract carried it).
 */
export function roundCycle(submittedAt: unknown, now: Date): { submitted_at: string; hours: number } | Record<string, never> {
	// A timestamp as the database gives it: Date (pg, mysql), epoch ms (SQLite) or ISO text.
	const raw =
		submittedAt instanceof Date || typeof submittedAt === 'number'
			? submittedAt
			: typeof submittedAt === 'string' && /^\d+$/.test(submittedAt)
				? Number(submittedAt)
				: submittedAt;
	const at = raw === null || raw === undefined || raw === '' ? null : new Date(raw as string | number | Date);
	if (!at || Number.isNaN(at.getTime())) return {};
	return { submitted_at: at.toISOString(), hours: (now.getTime() - at.getTime()) / 3_600_000 };
}
