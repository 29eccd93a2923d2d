/**
 * Contract changes (CR-14, Doc 2 4.5.2): each kind of change has a fixed
 * consequence; a structure change is re-reviewed by the departments whose
 * CR-3 aspects it touches.
 */
import { DomainError, type GuardFailure, throwIfFailures } from '../errors';
import { aspectsFor, uniqueInOrder } from '../departments';
import { assertContractTransition, type ContractStatus } from './contract-status';
import { CATALOGUE, values } from '../catalogue';

export const CHANGE_KINDS = values(CATALOGUE.cp_changes.kind);
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export type ChangeConsequenceKind = (typeof CHANGE_CONSEQUENCES)[number];
export const CHANGE_CONSEQUENCES = values(CATALOGUE.cp_changes.consequence);

/** A CR-3 aspect, as `department.aspect`. */
export type AspectRef = `${string}.${string}`;

interface ChangeRule {
	consequence: ChangeConsequenceKind;
	/** CR-3 aspects the change puts in question; their departments re-review when the consequence is new_review. */
	touches: readonly AspectRef[];
	/** Departments told about the change (CR-14 "departments notified"). */
	notify: readonly string[];
}

export const CHANGE_RULES: Readonly<Record<ChangeKind, ChangeRule>> = {
	quantity: {
		consequence: 'new_work_order',
		touches: ['sales.quantity', 'production.capacity', 'purchasing.material_availability'],
		notify: ['production', 'purchasing', 'warehouse'],
	},
	delivery_date: {
		consequence: 'new_work_order',
		touches: ['production.delivery_date', 'production.load_balance'],
		notify: ['production', 'warehouse'],
	},
	price: {
		consequence: 'new_quotation',
		touches: ['sales.price', 'finance.price', 'finance.risk'],
		notify: ['finance'],
	},
	structure: {
		consequence: 'new_review',
		touches: [
			'technical.structure',
			'technical.function',
			'technical.parameters',
			'quality.acceptance_criteria',
			'production.capacity',
			'purchasing.material_availability',
		],
		notify: ['technical', 'quality', 'production', 'purchasing'],
	},
	process: {
		consequence: 'product_change_notice',
		touches: ['technical.process_capability', 'quality.acceptance_criteria', 'production.capacity'],
		notify: ['technical', 'quality', 'production'],
	},
	termination: {
		consequence: 'termination_both_parties',
		touches: [],
		notify: ['production', 'purchasing', 'finance', 'warehouse'],
	},
};

export interface ChangeConsequence {
	kind: ChangeKind;
	consequence: ChangeConsequenceKind;
	/** Departments that must re-review (only for new_review), in route order of first touched aspect. */
	reviewDepartments: string[];
	aspects: AspectRef[];
	notifyDepartments: string[];
}

function assertKind(kind: string): asserts kind is ChangeKind {
	if (!(CHANGE_KINDS as readonly string[]).includes(kind)) {
		throw new DomainError('CP_INVALID_VALUE', `Unknown change kind '${kind}'; expected one of ${CHANGE_KINDS.join(', ')}`, {
			field: 'kind',
		});
	}
}

function departmentOf(ref: AspectRef): string {
	return ref.slice(0, ref.indexOf('.'));
}

/** True when `department.aspect` names an aspect of the CR-3 checklist (guards CHANGE_RULES against renames). */
export function isKnownAspect(ref: AspectRef): boolean {
	const key = ref.slice(ref.indexOf('.') + 1);
	return aspectsFor(departmentOf(ref)).some((a) => a.key === key);
}

export function changeConsequence(kind: ChangeKind): ChangeConsequence {
	assertKind(kind);
	const rule = CHANGE_RULES[kind];
	const aspects = [...rule.touches];
	return {
		kind,
		consequence: rule.consequence,
		reviewDepartments: rule.consequence === 'new_review' ? uniqueInOrder(aspects.map(departmentOf)) : [],
		aspects,
		notifyDepartments: uniqueInOrder(['sales', ...rule.notify]),
	};
}

/** One change request may combine kinds (e.g. quantity and price); consequences and departments are merged. */
export function planChanges(kinds: readonly ChangeKind[]): {
	consequences: ChangeConsequenceKind[];
	reviewDepartments: string[];
	notifyDepartments: string[];
} {
	const all = uniqueInOrder(kinds).map((k) => changeConsequence(k as ChangeKind));
	return {
		consequences: uniqueInOrder(all.map((c) => c.consequence)) as ChangeConsequenceKind[],
		reviewDepartments: uniqueInOrder(all.flatMap((c) => c.reviewDepartments)),
		notifyDepartments: uniqueInOrder(all.flatMap((c) => c.notifyDepartments)),
	};
}

/** A contract is only "changed" once it was reviewed; before that it is simply edited and reviewed. */
export const CHANGEABLE_STATUSES: readonly ContractStatus[] = ['reviewed', 'signed', 'in_production'];

export interface ChangeRequest {
	kind: ChangeKind;
	/** The customer's written agreement (fax, mail, signed notice) is on record. */
	customerConsentRecorded: boolean;
	contractStatus?: ContractStatus | undefined;
	/** For termination: both parties signed on the original contract. */
	terminationSignedByBoth?: boolean | undefined;
}

/** CR-14: checks a change request and returns what it sets in motion. */
export function assertChangeAllowed(request: ChangeRequest): ChangeConsequence {
	assertKind(request.kind);
	const failures: GuardFailure[] = [];
	if (request.contractStatus !== undefined && !CHANGEABLE_STATUSES.includes(request.contractStatus)) {
		failures.push({
			code: 'CP_CHANGE_NOT_ALLOWED',
			message: `a contract in status '${request.contractStatus}' cannot be changed; allowed in ${CHANGEABLE_STATUSES.join(', ')} (CR-14)`,
			field: 'contract_status',
		});
	}
	if (!request.customerConsentRecorded) {
		failures.push({
			code: 'CP_CUSTOMER_CONSENT_REQUIRED',
			message: `the customer's written consent is not recorded (CR-14)`,
			field: 'customer_consent',
		});
	}
	if (request.kind === 'termination' && !request.terminationSignedByBoth) {
		failures.push({
			code: 'CP_TERMINATION_NOT_SIGNED',
			message: `termination must be signed by both parties on the original contract (CR-14)`,
			field: 'termination_signed_by_both',
		});
	}
	throwIfFailures(`Change '${request.kind}' not allowed`, failures, { kind: request.kind });
	return changeConsequence(request.kind);
}

// ---- the change request's own steps (Doc 1 4.6 b-d) ---------------------------------------

export const CHANGE_STATUSES = ['requested', 'approved', 'done', 'rejected'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/**
 * Who takes each step of a change request. Doc 1 4.6 b: the change the customer agreed to is
 * "approved by the supervising leader" (主管领导: deputy GM or GM), who may also turn it down;
 * 4.6 c-d: Sales (市场部) revises the contract and tells the departments, which makes it done.
 * Nothing leaves done or rejected: they are records (CR-17).
 */
export const CHANGE_TRANSITIONS: Readonly<Record<ChangeStatus, Readonly<Partial<Record<ChangeStatus, readonly string[]>>>>> = {
	requested: { approved: ['deputy_gm', 'gm'], rejected: ['deputy_gm', 'gm'] },
	approved: { done: ['sales'] },
	done: {},
	rejected: {},
};

export interface ChangeStepInput {
	from: string;
	to: string;
	actor: { departments: readonly string[]; isAdmin: boolean; system?: boolean };
}

export interface ChangeStepPlan {
	update: { status: ChangeStatus };
	/** The department the step is taken as (an admin acts for the first one the table names). */
	as: string | null;
}

/** CR-14: one status move of a recorded change, checked against CHANGE_TRANSITIONS. */
export function planChangeStep({ from, to, actor }: ChangeStepInput): ChangeStepPlan {
	for (const s of [from, to]) {
		if (!(CHANGE_STATUSES as readonly string[]).includes(s)) {
			throw new DomainError('CP_INVALID_VALUE', `Unknown change status '${s}'; expected one of ${CHANGE_STATUSES.join(', ')}`, { field: 'status' });
		}
	}
	const f = from as ChangeStatus;
	const t = to as ChangeStatus;
	const who = CHANGE_TRANSITIONS[f][t];
	if (!who) {
		const allowed = Object.keys(CHANGE_TRANSITIONS[f]);
		throw new DomainError(
			'CP_ILLEGAL_TRANSITION',
			`A change request cannot move from '${f}' to '${t}'; ${allowed.length ? `allowed: ${allowed.join(', ')}` : `'${f}' is final`} (CR-14)`,
			{ field: 'status', details: { from: f, to: t, allowed } },
		);
	}
	let as: string | null = null;
	if (!actor.system) {
		as = who.find((d) => actor.departments.includes(d)) ?? (actor.isAdmin ? who[0]! : null);
		if (as === null) {
			throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `A change request moves from '${f}' to '${t}' by ${who.join(' or ')} (CR-14, Doc 1 4.6)`, {
				field: 'status',
			});
		}
	}
	return { update: { status: t }, as };
}

/** What recording a change sets in motion (CR-14); the adapter carries it out in one transaction. */
export interface ChangeCreationPlan {
	/** Fields the change record is stored with. */
	record: { consequence: ChangeConsequenceKind; affected_departments: string[]; status: ChangeStatus };
	consequence: ChangeConsequence;
	/** A structure change re-opens the review with these departments (route 'change'). */
	reReview: { departments: string[]; route: 'change'; reason: string } | null;
	/** A termination signed by both parties ends the contract. */
	terminate: boolean;
	notification: { departments: string[]; subject: string; message: string };
}

export function planChangeCreation(input: {
	kind: string;
	description: unknown;
	customerConsentRecorded: boolean;
	contractStatus: ContractStatus;
	contractCode: string;
	terminationSignedByBoth: boolean;
}): ChangeCreationPlan {
	if (typeof input.description !== 'string' || !input.description.trim()) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `description is required (CR-14)`, { field: 'description' });
	}
	const consequence = assertChangeAllowed({
		kind: input.kind as ChangeKind,
		customerConsentRecorded: input.customerConsentRecorded,
		contractStatus: input.contractStatus,
		terminationSignedByBoth: input.terminationSignedByBoth,
	});
	const terminate = consequence.consequence === 'termination_both_parties';
	if (terminate) assertContractTransition(input.contractStatus, 'terminated', { terminationSignedByBoth: input.terminationSignedByBoth });
	return {
		// A change is recorded with the customer's written consent already on file, so it is
		// approved as it is recorded and its consequence applies at once (Doc 1 4.6 b).
		record: { consequence: consequence.consequence, affected_departments: consequence.notifyDepartments, status: 'approved' },
		consequence,
		reReview:
			consequence.consequence === 'new_review'
				? {
						departments: consequence.reviewDepartments,
						route: 'change',
						reason: `Change of ${input.kind}: re-review by ${consequence.reviewDepartments.join(', ')} (CR-14)`,
					}
				: null,
		terminate,
		notification: {
			departments: consequence.notifyDepartments,
			subject: `合同变更 Contract change: ${input.contractCode}`,
			message: `${input.kind}: ${input.description} → ${consequence.consequence}`,
		},
	};
}
