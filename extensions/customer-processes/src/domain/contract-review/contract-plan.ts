/**
 * What a contract write does (CR-1, CR-2, CR-6, CR-7, CR-9, CR-11, CR-13, CR-14). Pure: the
 * adapter loads the facts (the contract, its lines, the current round, the customer's history),
 * asks these plans and writes what they return in one transaction.
 */
import { CATALOGUE, values } from '../catalogue';
import { DomainError, isBlank } from '../errors';
import { aspectsFor } from '../departments';
import { contracts as CONTRACT_POLICY } from '../policy/cp_contracts';
import { assertContractTransition, type ContractStatus } from './contract-status';
import { decideRoute, type ContractLine, type RouteTable } from './routes';
import { reviewProgress, roundCycle, type DiscrepancyStatus, type ReviewLineFact } from './review';
import { parseRequirements } from './requirements';
import { assertSigner, conclusionRequired, decideMajor, DEFAULT_APPROVERS, type Approvers, type MajorDecision, type MajorRules } from './approvals';
import { forPeople } from '../error-text';

import { planTaskNotices, TASK_NOTICE_DEPARTMENTS } from './task-notices';

/** Departments that receive the sales-to-production task notice by default (CR-13); the setting is in facts. */
export { TASK_NOTICE_DEPARTMENTS };
/** A customer's earlier contracts in these statuses count as reviewed products (CR-8). */
export const REVIEWED_STATUSES: readonly ContractStatus[] = ['reviewed', 'signed', 'in_production', 'completed'];

export interface PlanActor {
	userId: string | null;
	departments: readonly string[];
	isAdmin: boolean;
	system: boolean;
	/** Named signer keys the user holds (sales_manager, sales_vp, warehouse_keeper; CR-6, CR-7, CR-11). */
	signers?: readonly string[] | undefined;
}

export interface ContractRow {
	id: string;
	code?: string | null;
	title?: string | null;
	customer?: string | null;
	kind: 'bid' | 'order' | 'contract';
	class: 'regular_in_stock' | 'regular' | 'special';
	major?: unknown;
	status: ContractStatus;
	stage?: string | null;
	review_round?: number | string | null;
	review_route?: string | null;
	channel?: string | null;
	delivery_date?: unknown;
	customer_confirmed_at?: unknown;
	[field: string]: unknown;
}

export interface ChecklistItem {
	key: string;
	en: string;
	zh: string;
	checked: boolean;
	note?: string;
}

/** A fresh line's checklist: the department's own CR-3 aspects, none confirmed yet. */
export function initialChecklist(department: string): ChecklistItem[] {
	return aspectsFor(department).map((a) => ({ key: a.key, en: a.en, zh: a.zh, checked: false }));
}

export interface ReviewLineToOpen {
	department: string;
	round: number;
	stage: string;
	checklist: ChecklistItem[];
}

export interface AuditEntry {
	collection: string;
	item: string;
	action: string;
	from_status?: string | null;
	to_status?: string | null;
	data?: Record<string, unknown> | null;
}

export interface Notification {
	departments: readonly string[];
	subject: string;
	message: string;
}

export interface RoundFacts {
	/** The contract's lines, in line order. */
	lines: readonly ContractLine[];
	customerIsNew: boolean;
	/** Lines of the customer's other reviewed contracts (CR-8 repeat orders). */
	previousReviewedLines: readonly ContractLine[];
	routes: RouteTable;
	/** CR-7: the approver per contract class (cp_settings.approvers). */
	approvers?: Approvers | undefined;
	/** CR-7: what makes a contract major (cp_settings.major_rules). */
	majorRules?: MajorRules | undefined;
	/** Products of the contract never on a reviewed contract of any customer (CR-7 "new product"). */
	newProducts?: readonly string[] | undefined;
	/** When the round opens: stamped as the round's submission time (X-4 cycle time). */
	now?: Date | undefined;
}

/** CR-7: major by Sales's tick or by a company rule. */
export function majorOf(contract: ContractRow, facts: RoundFacts): MajorDecision {
	const amount = contract.total_amount == null || contract.total_amount === '' ? null : Number(contract.total_amount);
	return decideMajor(facts.majorRules ?? {}, {
		ticked: truthy(contract.major),
		amount: Number.isFinite(amount) ? amount : null,
		newProducts: facts.newProducts ?? [],
		export: truthy(contract.export),
	});
}

export interface RoundPlan {
	contract: Record<string, unknown>;
	reviewLines: ReviewLineToOpen[];
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';

/** CR-7/8/9: decides the route of the next round and the lines it opens, one per department. */
export function planReviewRound(
	contract: ContractRow,
	facts: RoundFacts,
	override?: { departments: readonly string[]; route: string; reason: string },
): RoundPlan {
	if (!facts.lines.length) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `A contract needs at least one line (product, quantity) before review (CR-1)`, { field: 'lines' });
	}
	let stage: string | undefined;
	// CR-9: a reviewed decision to bid sends the bid document itself to review.
	if (contract.kind === 'bid')
		stage = contract.status === 'reviewed' && contract.stage === 'tender_decision' ? 'bid_document' : (contract.stage ?? 'tender_decision');
	const major = majorOf(contract, facts);
	const decision = override
		? { route: override.route, departments: [...override.departments], reason: override.reason, reason_zh: undefined as string | undefined }
		: decideRoute(
				{
					kind: contract.kind,
					class: contract.class,
					major: major.major,
					majorReasons: major.reasons,
					customerIsNew: facts.customerIsNew,
					stage: stage as any,
					lines: facts.lines,
					previousReviewedLines: facts.previousReviewedLines,
				},
				facts.routes,
				facts.approvers ?? DEFAULT_APPROVERS,
			);
	const round = Number(contract.review_round ?? 0) + 1;
	const lineStage = stage ?? (decision.route.startsWith('confirmation') ? 'confirmation' : 'review');
	return {
		contract: {
			status: 'in_review',
			review_round: round,
			review_route: decision.route,
			// For people: departments by name, no requirement ids (the route itself is review_route).
			route_reason: decision.reason_zh ? `${forPeople(decision.reason, 'en')}\n${forPeople(decision.reason_zh, 'zh')}` : forPeople(decision.reason, 'en'),
			reviewed_at: null,
			// the round's (re)submission time, so that its completion carries the cycle time.
			...(facts.now ? { review_submitted_at: facts.now } : {}),
			// CR-6: each round gets its own conclusion (the previous one stays on the audit trail).
			conclusion: null,
			conclusion_signed_by: null,
			conclusion_signed_at: null,
			...(stage ? { stage } : {}),
		},
		reviewLines: decision.departments.map((department) => ({ department, round, stage: lineStage, checklist: initialChecklist(department) })),
	};
}

export interface CurrentRound {
	/** Review lines of the contract's current round. */
	lines: readonly ReviewLineFact[];
	/** Discrepancies of the contract not yet closed. */
	discrepancies: readonly { status: DiscrepancyStatus }[];
}

export interface ContractTransitionFacts extends RoundFacts {
	contract: ContractRow;
	/** The request: the new status and the fields that may travel with it. */
	payload: Record<string, unknown>;
	to: string;
	actor: PlanActor;
	refuseOralOrders: boolean;
	round: CurrentRound;
	taskNoticeIssued: boolean;
	/** CR-13, X-6: who receives the task notice (cp_settings.task_notice_departments resolved); default TASK_NOTICE_DEPARTMENTS. */
	taskNoticeDepartments?: readonly string[] | undefined;
	/** CR-9: review lines of stage 'bid_document' in the contract's current round (bids only). */
	bidDocumentLines?: readonly { department: string; decision: string }[] | undefined;
	now: Date;
}

export interface ContractPlan {
	from: ContractStatus;
	to: ContractStatus;
	/** Fields written on the contract, status included. */
	update: Record<string, unknown>;
	reviewLines: ReviewLineToOpen[];
	taskNotices: { department: string; due_at: unknown; content: unknown }[];
	notifications: Notification[];
	audit: AuditEntry[];
}

/** The channel as the transition table knows it: a tender arrives in writing. */
const domainChannel = (c: unknown) => (c === 'tender' ? 'written' : (c as any));

function signFacts(merged: ContractRow, facts: ContractTransitionFacts) {
	const progress = reviewProgress(
		facts.round.lines.map((l) => ({ ...l, round: Number(l.round) })),
		facts.round.discrepancies,
		Number(merged.review_round),
	);
	const missingFields = [...(['title', 'customer'] as const).filter((f) => isBlank(merged[f])), ...(facts.lines.length ? [] : ['lines'])];
	return {
		...bidDocumentFacts(merged, facts),
		reviewComplete: progress.complete && merged.status === 'reviewed',
		pendingDepartments: progress.pendingDepartments,
		openDiscrepancies: progress.openDiscrepancies,
		channel: domainChannel(merged.channel),
		oralConfirmed: !isBlank(merged.customer_confirmed_at),
		customerIsNew: facts.customerIsNew,
		kind: merged.kind,
		missingFields,
	};
}

/**
 * CR-9: the bid document's review is complete when the current round is of stage 'bid_document'
 * and every department its route names (for a major bid the GM too, CR-7) approved it.
 */
function bidDocumentFacts(merged: ContractRow, facts: ContractTransitionFacts): { bidDocumentReviewed?: boolean; bidDocumentPending?: string[] } {
	if (merged.kind !== 'bid') return {};
	const lines = facts.bidDocumentLines ?? [];
	const major = majorOf(merged, facts);
	const route = decideRoute(
		{
			kind: 'bid',
			class: merged.class,
			major: major.major,
			customerIsNew: facts.customerIsNew,
			stage: 'bid_document',
			lines: facts.lines,
			previousReviewedLines: facts.previousReviewedLines,
		},
		facts.routes,
		facts.approvers ?? DEFAULT_APPROVERS,
	);
	// A department counts when it has a line and every line it has is approved.
	const pending = [...new Set([...route.departments, ...lines.map((l) => l.department)])].filter(
		(d) => !lines.some((l) => l.department === d) || lines.some((l) => l.department === d && l.decision !== 'approved'),
	);
	return { bidDocumentReviewed: merged.stage === 'bid_document' && lines.length > 0 && pending.length === 0, bidDocumentPending: pending };
}

/** Fields that may travel with a status change: those still editable after the draft (the policy says which). */
export const STATUS_COMPANIONS: readonly string[] = Object.entries(CONTRACT_POLICY.fields)
	.filter(([, rule]) => rule.by !== 'engine' && (rule.in === 'always' || rule.in?.some((s) => s !== 'draft')))
	.map(([field]) => field);

/**
 * The transition commits in the filter, before Directus writes the rest of the request: anything
 * else in the same request could still fail there and be lost, so a status change travels alone.
 */
export function assertStatusTravelsAlone(payload: Record<string, unknown>): void {
	if (!('status' in payload)) return;
	// The record's key (a batch of items, an import) names the record, it is no content.
	const riders = Object.keys(payload).filter((f) => f !== 'id' && !STATUS_COMPANIONS.includes(f));
	if (riders.length)
		throw new DomainError('CP_INVALID_VALUE', `A status change is sent on its own; save ${riders.join(', ')} first, then change the status`, {
			field: riders[0],
		});
}

/**
 * One contract status change and everything it sets in motion: the fields to write, the review
 * lines of a new round (CR-7), the task notices of a signature (CR-13), notifications and audit.
 * Returns null when the status does not change.
 */
export function planContractTransition(facts: ContractTransitionFacts): ContractPlan | null {
	const { contract, actor, now } = facts;
	const from = contract.status;
	const to = facts.to as ContractStatus;
	if (from === to) return null;
	const merged: ContractRow = { ...contract, ...facts.payload, status: from };
	const base = {
		actorDepartments: [...actor.departments],
		isAdmin: actor.isAdmin || actor.system,
		channel: domainChannel(merged.channel),
		refuseOralOrders: facts.refuseOralOrders,
	};
	const plan: ContractPlan = { from, to, update: {}, reviewLines: [], taskNotices: [], notifications: [], audit: [] };
	let action = 'transition';

	// Signing before the review is over names what is missing (CR-2, CR-11), whatever the status.
	if (to === 'signed' && (from === 'draft' || from === 'in_review')) {
		const sf = signFacts(merged, facts);
		assertContractTransition('reviewed', 'signed', {
			...base,
			...sf,
			reviewComplete: false,
			pendingDepartments: from === 'draft' ? ['(not submitted for review)'] : sf.pendingDepartments,
		});
	}
	// CR-14: after signing, the customer is committed; only a recorded change moves the contract.
	if (((to === 'in_review' && (from === 'signed' || from === 'in_production')) || to === 'terminated') && !actor.system) {
		throw new DomainError(
			'CP_CHANGE_NOT_ALLOWED',
			`A signed contract is changed or terminated through a contract change record (cp_changes), with the customer's written consent (CR-14)`,
			{ field: 'status' },
		);
	}
	// CR-6: 'reviewed' is the engine's, reached when the last line (or the conclusion) is signed.
	if (to === 'reviewed') assertContractTransition(from, to, { ...base, bySystem: false });
	// CR-11: the sales VP signs for the company (checked with the signature, below); every other move is Sales's.
	if (to !== 'signed' && !actor.isAdmin && !actor.system && !actor.departments.includes('sales'))
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `合同状态由市场部修改 / only Sales moves the contract`, { field: 'status' });

	switch (`${from}>${to}`) {
		case 'draft>in_review':
		case 'reviewed>in_review': {
			assertContractTransition(from, to, base);
			const round = planReviewRound(merged, facts);
			plan.update = round.contract;
			plan.reviewLines = round.reviewLines;
			action = from === 'draft' ? 'submitted' : 'resubmitted';
			break;
		}
		case 'reviewed>signed': {
			assertContractTransition(from, to, { ...base, ...signFacts(merged, facts) });
			// CR-11 (Doc 3 4.3.1): 由销售副总经理代表公司与顾客签订合同.
			assertSigner(actor, 'sales_vp', { en: 'The contract', zh: '合同' }, 'status');
			plan.update = { signed_at: now, signed_by: actor.userId };
			// CR-13: the signed contract becomes the task notice for the receiving departments, once.
			if (!facts.taskNoticeIssued) {
				// the receivers are the company's setting (cp_settings.task_notice_departments), resolved by the adapter.
				const notices = planTaskNotices(merged, facts.taskNoticeDepartments ?? TASK_NOTICE_DEPARTMENTS);
				plan.taskNotices = notices.taskNotices;
				plan.notifications.push(notices.notification);
			}
			action = 'signed';
			break;
		}
		default:
			assertContractTransition(from, to, { ...base, bySystem: actor.system, taskNoticeIssued: facts.taskNoticeIssued, terminationSignedByBoth: false });
	}
	plan.update = { ...plan.update, status: to };
	plan.audit.push({
		collection: 'cp_contracts',
		item: contract.id,
		action,
		from_status: from,
		to_status: to,
		data: plan.update.review_route ? { round: plan.update.review_round, route: plan.update.review_route } : null,
	});
	return plan;
}

/**
 * CR-6: the round completes when every line is approved and no discrepancy is open; asked with
 * the contract row locked, so concurrent signers complete it exactly once.
 */
/**
 * Whether the last signature can complete this contract's review by itself (CR-6): only while in
 * review, and not on a route whose completion is the sales manager's signed conclusion
 * (approvals.ts#planConclusion). When not, the round's lines need not even be read.
 */
export function completesOnLastSignature(contract: Pick<ContractRow, 'status' | 'review_route'>): boolean {
	return contract.status === 'in_review' && !conclusionRequired(contract.review_route);
}

export function planReviewCompletion(contract: ContractRow, round: CurrentRound, now: Date): { update: Record<string, unknown>; audit: AuditEntry } | null {
	if (!completesOnLastSignature(contract)) return null;
	const progress = reviewProgress(
		round.lines.map((l) => ({ ...l, round: Number(l.round) })),
		round.discrepancies,
		Number(contract.review_round),
	);
	if (!progress.complete) return null;
	assertContractTransition('in_review', 'reviewed', { bySystem: true, reviewComplete: true, pendingDepartments: [], openDiscrepancies: 0 });
	return {
		update: { status: 'reviewed', reviewed_at: now },
		audit: {
			collection: 'cp_contracts',
			item: contract.id,
			action: 'review_completed',
			from_status: 'in_review',
			to_status: 'reviewed',
			data: { round: contract.review_round, route: contract.review_route, ...roundCycle(contract.review_submitted_at, now) },
		},
	};
}

/** Values of a contract's content fields (CR-1, CR-7). */
export function assertContractContent(payload: Record<string, unknown>): void {
	if ('kind' in payload && !(values(CATALOGUE.cp_contracts.kind) as readonly unknown[]).includes(payload.kind))
		throw new DomainError('CP_INVALID_VALUE', `kind must be bid, order or contract`, { field: 'kind' });
	if ('class' in payload && !(values(CATALOGUE.cp_contracts.class) as readonly unknown[]).includes(payload.class))
		throw new DomainError('CP_INVALID_VALUE', `class must be regular_in_stock, regular or special (CR-7)`, { field: 'class' });
	if ('channel' in payload && !(values(CATALOGUE.cp_contracts.channel) as readonly unknown[]).includes(payload.channel))
		throw new DomainError('CP_INVALID_VALUE', `channel must be written, tender, oral or online`, { field: 'channel' });
	if ('total_amount' in payload && payload.total_amount != null && !(Number(payload.total_amount) >= 0))
		throw new DomainError('CP_INVALID_VALUE', `total_amount must be a non-negative number`, { field: 'total_amount' });
	if ('requirements' in payload) parseRequirements(payload.requirements);
}

/** CR-2: a new contract starts as a draft; a bid starts at the decision to bid (CR-9). Returns the fields to add. */
export function planContractCreation(payload: Record<string, unknown>, actor: PlanActor): Record<string, unknown> {
	if (payload.status && payload.status !== 'draft' && !actor.system) {
		throw new DomainError('CP_ILLEGAL_TRANSITION', `A new contract starts as draft; submit it for review afterwards (CR-2)`, { field: 'status' });
	}
	// CR-6: the conclusion is signed on a review whose lines are signed, never written with the draft.
	if (!actor.system && !isBlank(payload.conclusion))
		throw new DomainError('CP_ILLEGAL_TRANSITION', `评审结论在各部门评审签字后签署 / the review conclusion is signed after the review lines (CR-6)`, {
			field: 'conclusion',
		});
	assertContractContent(payload);
	return { status: 'draft', ...(payload.kind === 'bid' && !payload.stage ? { stage: 'tender_decision' } : {}) };
}

/** CR-1: a line's quantity is positive and its price not negative. */
export function assertContractLineContent(payload: Record<string, unknown>, creating: boolean): void {
	for (const f of ['quantity', 'unit_price'] as const) {
		if (f in payload && payload[f] != null) {
			const n = Number(payload[f]);
			if (!Number.isFinite(n) || n < 0 || (f === 'quantity' && n === 0)) {
				throw new DomainError('CP_INVALID_VALUE', `${f} must be ${f === 'quantity' ? 'greater than 0' : 'zero or more'}`, { field: f });
			}
		}
	}
	if (creating && isBlank(payload.product)) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `product is required (CR-1)`, { field: 'product' });
}

/**
 * CR-1, CR-14: a contract's lines are written while it is a draft; afterwards it is withdrawn to
 * draft, or changed through a recorded contract change.
 */
export function assertLinesEditable(contract: { status: string } | null | undefined, contractId: unknown): void {
	if (!contract) throw new DomainError('CP_INVALID_VALUE', `contract ${JSON.stringify(contractId ?? null)} does not exist`, { field: 'contract' });
	if (contract.status !== 'draft') {
		throw new DomainError(
			'CP_CHANGE_NOT_ALLOWED',
			`Lines of a contract in status '${contract.status}' cannot be changed: withdraw it to draft or record a contract change (CR-14)`,
			{ field: 'contract' },
		);
	}
}
