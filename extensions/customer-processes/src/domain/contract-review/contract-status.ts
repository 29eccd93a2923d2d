/**
 * Contract / order / bid lifecycle (CR-2, CR-6, CR-10, CR-11, CR-13, CR-14).
 * The table is the single source of truth; guards only check facts the host
 * passes in, so this file never reads the database.
 */
import { DomainError, type GuardFailure, lookupTransition, throwIfFailures, type TransitionTable } from '../errors';
import { CATALOGUE, values } from '../catalogue';
import { departmentName } from '../departments';

export const CONTRACT_STATUSES = values(CATALOGUE.cp_contracts.status);
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const CONTRACT_KINDS = values(CATALOGUE.cp_contracts.kind);
export type ContractKind = (typeof CONTRACT_KINDS)[number];

/** How the customer placed the requirement. Oral and phone orders ('oral') need a customer-confirmed record (CR-10). */
export const ORDER_CHANNELS = values(CATALOGUE.cp_contracts.channel);
export type OrderChannel = (typeof ORDER_CHANNELS)[number];
export const ORAL_CHANNELS: readonly OrderChannel[] = ['oral'];

export function isOralChannel(channel: string | null | undefined): boolean {
	return channel !== null && channel !== undefined && (ORAL_CHANNELS as readonly string[]).includes(channel);
}

export type ContractGuard =
	'submit' | 'complete_review' | 'withdraw' | 'sign' | 're_review' | 'issue_task_notice' | 'structure_change' | 'complete' | 'cancel' | 'terminate';

export const CONTRACT_TRANSITIONS = {
	draft: { in_review: 'submit', cancelled: 'cancel' },
	// reviewed is reached only when the last line is signed (CR-6), never by hand.
	in_review: { reviewed: 'complete_review', draft: 'withdraw', cancelled: 'cancel' },
	// A change after review sends it back (CR-14); signing is the commitment CR-2 protects.
	reviewed: { signed: 'sign', in_review: 're_review', cancelled: 'cancel' },
	// After signing the customer is committed: no cancel, only a two-party termination.
	signed: { in_production: 'issue_task_notice', in_review: 'structure_change', terminated: 'terminate' },
	in_production: { completed: 'complete', in_review: 'structure_change', terminated: 'terminate' },
	completed: {},
	cancelled: {},
	terminated: {},
} as const satisfies TransitionTable<ContractStatus, ContractGuard>;

/** Facts about the contract at the moment of the transition. Missing facts count as "not satisfied". */
export interface ContractTransitionContext {
	reviewComplete?: boolean | undefined;
	openDiscrepancies?: number | undefined;
	pendingDepartments?: string[] | undefined;
	channel?: OrderChannel | null | undefined;
	oralConfirmed?: boolean | undefined;
	refuseOralOrders?: boolean | undefined;
	customerIsNew?: boolean | undefined;
	kind?: ContractKind | undefined;
	/** CR-9: for a bid, every department of the bid document's route approved it in the current round. */
	bidDocumentReviewed?: boolean | undefined;
	/** CR-9: departments of the bid document's route whose approval is still missing. */
	bidDocumentPending?: string[] | undefined;
	/** Required contract fields still empty (CR-11 "contract fields complete"), computed by the host. */
	missingFields?: string[] | undefined;
	/** True when the review engine, not a user, requests the transition. */
	bySystem?: boolean | undefined;
	terminationSignedByBoth?: boolean | undefined;
	/** CR-13: the sales-to-production task notice has been issued. */
	taskNoticeIssued?: boolean | undefined;
	/** Departments of the acting user (withdraw is a sales action). */
	actorDepartments?: string[] | undefined;
	isAdmin?: boolean | undefined;
}

type GuardCheck = (ctx: ContractTransitionContext) => GuardFailure[];

function oralFailures(ctx: ContractTransitionContext): GuardFailure[] {
	if (!isOralChannel(ctx.channel)) return [];
	if (ctx.refuseOralOrders) {
		return [
			{
				code: 'CP_ORAL_ORDERS_REFUSED',
				message: `oral/phone orders are refused by company setting; a written notice is required (CR-10)`,
				field: 'channel',
			},
		];
	}
	return [];
}

/** Departments as the screens name them ("生产部 Production"), never their keys. */
function departmentList(keys: readonly string[]): string {
	return keys.map((k) => `${departmentName(k, 'zh')} ${departmentName(k)}`).join(', ');
}

const GUARDS: Record<ContractGuard, GuardCheck> = {
	// Refusing oral orders is checked at submission so nobody reviews an order the company will not accept.
	submit: (ctx) => oralFailures(ctx),

	complete_review: (ctx) => {
		const failures: GuardFailure[] = [];
		if (!ctx.bySystem) {
			failures.push({
				code: 'CP_SYSTEM_ONLY',
				message: `status 'reviewed' is set automatically when every review line is signed (CR-6)`,
				field: 'status',
			});
		}
		failures.push(...reviewFailures(ctx));
		return failures;
	},

	withdraw: (ctx) =>
		ctx.isAdmin || (ctx.actorDepartments ?? []).includes('sales')
			? []
			: [{ code: 'CP_NOT_DEPARTMENT_MEMBER', message: `only Sales can withdraw a review`, field: 'status' }],

	sign: (ctx) => {
		const failures = [...bidDocumentFailures(ctx), ...reviewFailures(ctx), ...oralFailures(ctx)];
		if (isOralChannel(ctx.channel) && !ctx.refuseOralOrders && !ctx.oralConfirmed) {
			failures.push({
				code: 'CP_ORAL_ORDER_UNCONFIRMED',
				message: `the customer's confirmation of the oral/phone order is not recorded (CR-10)`,
				field: 'oral_confirmed',
			});
		}
		// CR-11: an old customer's confirmed order counts as signed, a new customer signs a formal contract.
		if (ctx.customerIsNew !== false && ctx.kind !== 'contract') {
			failures.push({
				code: 'CP_FORMAL_CONTRACT_REQUIRED',
				message: `${ctx.customerIsNew === undefined ? 'customer not known to be an existing customer, so ' : ''}a new customer must sign a formal contract (kind is '${ctx.kind ?? 'unset'}', needs 'contract') (CR-11)`,
				field: 'kind',
			});
		}
		const missing = ctx.missingFields ?? [];
		if (missing.length > 0) {
			failures.push({
				code: 'CP_REQUIRED_FIELDS_MISSING',
				message: `required fields empty: ${missing.join(', ')} (CR-11)`,
				field: missing[0]!,
			});
		}
		return failures;
	},

	re_review: () => [],
	// Customer consent for the change is enforced when the change is recorded (assertChangeAllowed).
	structure_change: () => [],

	issue_task_notice: (ctx) =>
		ctx.taskNoticeIssued
			? []
			: [{ code: 'CP_TASK_NOTICE_MISSING', message: `the sales-to-production task notice has not been issued (CR-13)`, field: 'task_notice' }],

	complete: () => [],
	cancel: () => [],

	terminate: (ctx) =>
		ctx.terminationSignedByBoth
			? []
			: [
					{
						code: 'CP_TERMINATION_NOT_SIGNED',
						message: `termination must be signed by both parties on the original contract (CR-14)`,
						field: 'termination_signed_by_both',
					},
				],
};

/**
 * CR-9 (Doc 1 4.2.3.2): the decision to bid commits nothing; a bid is signed only once the bid
 * document itself was reviewed on the review form by every department of its route (CR-2, CR-7).
 */
function bidDocumentFailures(ctx: ContractTransitionContext): GuardFailure[] {
	if (ctx.kind !== 'bid' || ctx.bidDocumentReviewed) return [];
	const pending = ctx.bidDocumentPending ?? [];
	const who = pending.length ? `: pending for ${departmentList(pending)}` : '';
	const whoZh = pending.length ? `：待 ${pending.map((k) => departmentName(k, 'zh')).join('、')} 评审` : '';
	return [
		{
			code: 'CP_REVIEW_INCOMPLETE',
			message: `标书评审未完成${whoZh}，不得投标或签订 / the bid document's review is not complete${who}; no bid is submitted or signed before it (CR-9)`,
			field: 'review',
		},
	];
}

/** CR-2/CR-6: every line signed, no discrepancy left open. */
function reviewFailures(ctx: ContractTransitionContext): GuardFailure[] {
	const failures: GuardFailure[] = [];
	const pending = ctx.pendingDepartments ?? [];
	if (!ctx.reviewComplete || pending.length > 0) {
		failures.push({
			code: 'CP_REVIEW_INCOMPLETE',
			message: pending.length ? `review lines pending for ${departmentList(pending)} (CR-11)` : `the review is not complete (CR-11)`,
			field: 'review',
		});
	}
	const open = ctx.openDiscrepancies ?? 0;
	if (open > 0) {
		failures.push({
			code: 'CP_OPEN_DISCREPANCIES',
			message: `${open} discrepanc${open === 1 ? 'y is' : 'ies are'} not closed (CR-5)`,
			field: 'discrepancies',
		});
	}
	return failures;
}

const VERB: Record<ContractGuard, string> = {
	submit: 'submitted for review',
	complete_review: 'marked reviewed',
	withdraw: 'withdrawn',
	sign: 'signed',
	re_review: 'sent back to review',
	issue_task_notice: 'released to production',
	structure_change: 'sent back to review',
	complete: 'completed',
	cancel: 'cancelled',
	terminate: 'terminated',
};

/**
 * Checks a requested status change and returns the guard name (for the audit
 * trail). Throws a DomainError listing every unmet condition.
 */
export function assertContractTransition(from: ContractStatus, to: ContractStatus, ctx: ContractTransitionContext = {}): ContractGuard {
	const guard: ContractGuard = lookupTransition('Contract', CONTRACT_TRANSITIONS, from, to);
	if (ctx.openDiscrepancies !== undefined && !(Number.isInteger(ctx.openDiscrepancies) && ctx.openDiscrepancies >= 0)) {
		throw new DomainError('CP_INVALID_VALUE', `openDiscrepancies must be a non-negative integer`, { field: 'openDiscrepancies' });
	}
	throwIfFailures(`Contract cannot be ${VERB[guard]}`, GUARDS[guard](ctx), {
		from,
		to,
		guard,
		pendingDepartments: ctx.pendingDepartments ?? [],
		missingFields: ctx.missingFields ?? [],
	});
	return guard;
}
