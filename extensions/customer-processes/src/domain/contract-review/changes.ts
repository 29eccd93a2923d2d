/**
 * Contract changes (CR-14, Doc 2 4.5.2): each kind of change has a fixed
 * consequence; a structure change is re-reviewed by the departments whose
 * CR-3 aspects it touches.
 */
import { DomainError, type GuardFailure, throwIfFailures } from '../errors';
import { aspectsFor, departmentName, uniqueInOrder } from '../departments';
import { assertContractTransition, type ContractStatus } from './contract-status';
import { CATALOGUE, bilingual, values } from '../catalogue';
import { assertSigner } from './approvals';
import { parseJson } from '../json';
import { fieldLabel } from '../policy/labels';

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
	// Doc 1 4.6 a: a change of the product that does not affect the customer's requirements is
	// handled by R&D under the design change rules (设计变更申请单), without the customer.
	design: {
		consequence: 'design_change',
		touches: ['technical.structure', 'technical.parameters', 'technical.process_capability'],
		notify: ['technical', 'production', 'quality'],
	},
};

/** Doc 1 4.6 a: the one kind that does not affect the customer; every other kind needs the customer (4.6 b-c). */
export const DESIGN_KINDS: readonly ChangeKind[] = ['design'];
export const affectsCustomer = (kind: string): boolean => !(DESIGN_KINDS as readonly string[]).includes(kind);

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
		throw new DomainError(
			'CP_INVALID_VALUE',
			`${label('kind')}：未知的变更类型 / unknown kind of change; ${CHANGE_KINDS.map((k) => KIND_LABEL[k]).join(', ')}`,
			{
				field: 'kind',
			},
		);
	}
}

const label = (field: string) => fieldLabel('cp_changes', field);
const KIND_LABEL = bilingual(CATALOGUE.cp_changes.kind);
const STATUS_LABEL = bilingual(CATALOGUE.cp_changes.status);
const CONTRACT_STATUS_LABEL = bilingual(CATALOGUE.cp_contracts.status);
const dept = (k: string) => `${departmentName(k, 'zh')} ${departmentName(k)}`;

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
			message: `合同状态为「${CONTRACT_STATUS_LABEL[request.contractStatus] ?? request.contractStatus}」，不能变更 / a contract in this status cannot be changed (${CHANGEABLE_STATUSES.map((s) => CONTRACT_STATUS_LABEL[s]).join(', ')})`,
			field: 'contract_status',
		});
	}
	if (affectsCustomer(request.kind) && !request.customerConsentRecorded) {
		failures.push({
			code: 'CP_CUSTOMER_CONSENT_REQUIRED',
			message: `${label('customer_consent_at')}：未记录顾客的书面同意 / the customer's written consent is not recorded`,
			field: 'customer_consent',
		});
	}
	if (request.kind === 'termination' && !request.terminationSignedByBoth) {
		failures.push({
			code: 'CP_TERMINATION_NOT_SIGNED',
			message: `${label('signed_by_customer')}, ${label('signed_by_company')}：合同终止须双方在原合同上签字 / termination is signed by both parties on the original contract`,
			field: 'termination_signed_by_both',
		});
	}
	throwIfFailures(`变更「${KIND_LABEL[request.kind]}」不能登记 / change not allowed`, failures, { kind: request.kind });
	return changeConsequence(request.kind);
}

// ---- the change request's own steps (Doc 1 4.6) -------------------------------------------

export const CHANGE_STATUSES = values(CATALOGUE.cp_changes.status);
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
export type ChangeRoute = 'customer' | 'design';
export const routeOf = (kind: string): ChangeRoute => (affectsCustomer(kind) ? 'customer' : 'design');

type StepTable = Readonly<Record<ChangeStatus, Readonly<Partial<Record<ChangeStatus, readonly string[]>>>>>;

/**
 * Who takes each step of a change request, per route.
 * customer (Doc 1 4.6 b-d): the change the customer agreed to is approved by the supervising
 * leader (主管领导: deputy GM or GM), who may also turn it down; the contract change notice is
 * confirmed by the customer (Sales records who, when, how and the evidence; the customer may
 * also decline it) and signed by the head of the market department (市场部部长, Sales), which
 * makes it take effect: the contract is revised and the departments are told.
 * design (Doc 1 4.6 a): a change that does not affect the customer is handled by R&D under the
 * design change rules: R&D (研发部) approves the design change request and carries it out.
 * Nothing leaves done or rejected: they are records (CR-17).
 */
export const CHANGE_TRANSITIONS: Readonly<Record<ChangeRoute, StepTable>> = {
	customer: {
		requested: { approved: ['deputy_gm', 'gm'], rejected: ['deputy_gm', 'gm'] },
		approved: { confirmed: ['sales'], rejected: ['sales'] },
		confirmed: { done: ['sales'] },
		done: {},
		rejected: {},
	},
	design: {
		requested: { approved: ['technical'], rejected: ['technical'] },
		approved: { done: ['technical'] },
		confirmed: {},
		done: {},
		rejected: {},
	},
};

/** Who records a change request of a kind: Sales for what the customer agrees to, R&D for a design change. */
export const CHANGE_RECORDERS: Readonly<Record<ChangeRoute, readonly string[]>> = { customer: ['sales'], design: ['technical'] };

export interface ChangeStepActor {
	userId?: string | null;
	departments: readonly string[];
	isAdmin: boolean;
	system?: boolean;
	/** The named signers the actor holds (cp_settings.signers): the market department head signs the change notice. */
	signers?: readonly string[] | undefined;
}

export interface ChangeStepInput {
	/** The change as stored, merged with the fields the request sends along with the status. */
	change: Record<string, unknown> & { kind: string; status: string };
	to: string;
	actor: ChangeStepActor;
	/** The contract's status now (a structure change takes effect only once its re-review is over). */
	contractStatus?: string | undefined;
	now: Date;
}

export interface ChangeStepPlan {
	from: ChangeStatus;
	to: ChangeStatus;
	/** Stamps written with the status. */
	update: Record<string, unknown>;
	/** The department the step is taken as (an admin acts for the first one the table names). */
	as: string | null;
	/** The step makes the change take effect: amend the contract, re-issue task notices. */
	takesEffect: boolean;
	/** A structure change re-opens the review when it is approved (Doc 1 4.6 c). */
	opensReReview: boolean;
}

const blank = (v: unknown) => v === undefined || v === null || String(v).trim() === '';

/** The stamps of a step; a request may not bring its own (the policy makes them the engine's). */
export function planChangeStep({ change, to, actor, contractStatus, now }: ChangeStepInput): ChangeStepPlan {
	const from = change.status;
	for (const s of [from, to]) {
		if (!(CHANGE_STATUSES as readonly string[]).includes(s)) {
			throw new DomainError('CP_INVALID_VALUE', `${label('status')}：未知的状态 / unknown status`, { field: 'status' });
		}
	}
	assertKind(change.kind);
	const f = from as ChangeStatus;
	const t = to as ChangeStatus;
	const route = routeOf(change.kind);
	const table = CHANGE_TRANSITIONS[route];
	const who = table[f][t];
	if (!who) {
		const allowed = Object.keys(table[f]) as ChangeStatus[];
		const next = allowed.length ? `可改为 allowed: ${allowed.map((s) => STATUS_LABEL[s]).join(', ')}` : `「${STATUS_LABEL[f]}」是最终状态 / final`;
		throw new DomainError(
			'CP_ILLEGAL_TRANSITION',
			`变更申请不能从「${STATUS_LABEL[f]}」改为「${STATUS_LABEL[t]}」/ a change request cannot move this way; ${next}`,
			{
				field: 'status',
				details: { from: f, to: t, allowed },
			},
		);
	}
	let as: string | null = null;
	if (!actor.system) {
		as = who.find((d) => actor.departments.includes(d)) ?? (actor.isAdmin ? who[0]! : null);
		if (as === null) {
			throw new DomainError(
				'CP_NOT_DEPARTMENT_MEMBER',
				`变更申请「${STATUS_LABEL[f]}」→「${STATUS_LABEL[t]}」由${who.map(dept).join('或')}办理 / taken by ${who.map(dept).join(' or ')}`,
				{ field: 'status' },
			);
		}
	}
	const customer = route === 'customer';
	// Doc 1 4.6 c: the change notice is signed by the head of the market department (the sales
	// manager of the named signers), not by any member of Sales.
	if (customer && t === 'done' && !actor.system) {
		assertSigner(
			{ ...actor, userId: actor.userId ?? null, system: false },
			'sales_manager',
			{ en: 'The contract change notice', zh: '合同变更通知单' },
			'status',
		);
	}
	const failures: GuardFailure[] = [];
	const update: Record<string, unknown> = { status: t };
	if (t === 'approved') {
		if (customer && blank(change.customer_consent_at) && blank(change.consent_file)) {
			failures.push({
				code: 'CP_CUSTOMER_CONSENT_REQUIRED',
				message: `${label('customer_consent_at')}：批准前须征得顾客书面同意 / the customer's written consent comes before the approval`,
				field: 'customer_consent_at',
			});
		}
		if (VALUES_REQUIRED.includes(change.kind as ChangeKind) && !hasAmendments(change.amendments)) {
			failures.push({
				code: 'CP_REQUIRED_FIELDS_MISSING',
				message: `${label('amendments')}：批准的是变更后的值，请先填写 / the leader approves the new values; fill them in first`,
				field: 'amendments',
			});
		}
		Object.assign(update, { approved_by: actor.userId ?? null, approved_at: now, approved_as: as });
	}
	if (t === 'rejected' && blank(change.decision_note)) {
		failures.push({ code: 'CP_OPINION_REQUIRED', message: `${label('decision_note')}：驳回须写明理由 / a rejection gives its reason`, field: 'decision_note' });
	}
	if (t === 'confirmed') {
		const missing = ['customer_confirmed_by', 'customer_confirmed_at', 'customer_confirmation_method'].filter((k) => blank(change[k]));
		if (blank(change.confirmation_file) && blank(change.confirmation_record)) missing.push('confirmation_file');
		const at = change.customer_confirmed_at;
		if (!blank(at) && Number.isNaN(new Date(at instanceof Date || typeof at === 'number' ? at : String(at)).getTime()))
			failures.push({
				code: 'CP_INVALID_VALUE',
				message: `${label('customer_confirmed_at')}：不是有效的日期时间 / is not a valid date and time`,
				field: 'customer_confirmed_at',
			});
		if (missing.length)
			failures.push({
				code: 'CP_CUSTOMER_CONFIRMATION_REQUIRED',
				message: `${missing.map(label).join(', ')}：须记录顾客确认变更通知单的人、时间、方式和证据 / record who at the customer confirmed the change notice, when, how, and the evidence`,
				field: missing[0],
			});
	}
	if (t === 'done') {
		if (customer && change.kind === 'structure' && contractStatus === 'in_review') {
			failures.push({
				code: 'CP_REVIEW_INCOMPLETE',
				message: `结构变更的重新评审尚未完成 / the structure change's re-review is not complete yet`,
				field: 'status',
			});
		}
		if (customer) Object.assign(update, { head_signed_by: actor.userId ?? null, head_signed_at: now });
		update.effective_at = now;
	}
	throwIfFailures(`变更申请不能改为「${STATUS_LABEL[t]}」/ cannot move the change request`, failures, { from: f, to: t });
	return {
		from: f,
		to: t,
		update,
		as,
		takesEffect: t === 'done',
		opensReReview: t === 'approved' && changeConsequence(change.kind as ChangeKind).consequence === 'new_review',
	};
}

// ---- what a change amends (Doc 2 4.5.2, Doc 1 4.6 c) ---------------------------------------

const LINE_FIELDS = ['quantity', 'unit_price', 'delivery_date', 'specification', 'material', 'marks', 'process'] as const;
const CONTRACT_FIELDS = ['delivery_date', 'total_amount'] as const;
type LineField = (typeof LINE_FIELDS)[number];
type ContractField = (typeof CONTRACT_FIELDS)[number];

/** Which values a kind of change may amend: `field` on the contract, `lines.field` on its lines. */
export const AMENDABLE: Readonly<Record<ChangeKind, readonly string[]>> = {
	quantity: ['lines.quantity', 'total_amount'],
	delivery_date: ['delivery_date', 'lines.delivery_date'],
	price: ['lines.unit_price', 'total_amount'],
	structure: ['lines.specification', 'lines.material', 'lines.marks', 'total_amount'],
	process: ['lines.process'],
	termination: [],
	design: [],
};

/** Doc 2 4.5.2: a quantity, date or price change is a change of the contract's values; the leader approves the new ones. */
export const VALUES_REQUIRED: readonly ChangeKind[] = ['quantity', 'delivery_date', 'price'];

export interface Amendments {
	delivery_date?: string;
	total_amount?: number;
	lines?: ({ line_no: number } & Partial<Record<LineField, unknown>>)[];
}

function hasAmendments(v: unknown): boolean {
	const a = parseAmendments(v);
	return Boolean(a && (CONTRACT_FIELDS.some((f) => a[f] !== undefined) || a.lines?.some((l) => Object.keys(l).some((k) => k !== 'line_no'))));
}

function parseAmendments(v: unknown): Amendments | null {
	return parseJson<Amendments | null>(v, null);
}

const bad = (why: string) => new DomainError('CP_INVALID_VALUE', `${label('amendments')}：${why}`, { field: 'amendments' });
const FIELD_LABEL = (f: string) => (f.startsWith('lines.') ? fieldLabel('cp_contract_lines', f.slice(6)) : fieldLabel('cp_contracts', f));

/** CR-14: the amended values a change of this kind may carry, checked when they are written. */
export function assertAmendments(kind: string, value: unknown): void {
	assertKind(kind);
	if (value === null || value === undefined) return;
	const a = typeof value === 'string' ? parseAmendments(value) : value;
	if (!a || typeof a !== 'object' || Array.isArray(a)) throw bad('应为对象 / expected an object with delivery_date, total_amount, lines');
	const allowed = AMENDABLE[kind];
	const named: string[] = [];
	for (const [k, v] of Object.entries(a)) {
		if (k === 'lines') {
			if (!Array.isArray(v)) throw bad('lines 应为列表 / lines is a list');
			for (const l of v) {
				if (!l || typeof l !== 'object' || !Number.isInteger(Number((l as any).line_no)))
					throw bad(`每行须写明${fieldLabel('cp_contract_lines', 'line_no')} / each line names its line number`);
				for (const [lk, lv] of Object.entries(l)) {
					if (lk === 'line_no') continue;
					named.push(`lines.${lk}`);
					if ((lk === 'quantity' || lk === 'unit_price') && !(Number.isFinite(Number(lv)) && Number(lv) >= 0 && lv !== null && lv !== ''))
						throw bad(`${fieldLabel('cp_contract_lines', lk)} 应为非负数 / must be a number ≥ 0`);
				}
			}
		} else {
			named.push(k);
			if (k === 'total_amount' && !(Number.isFinite(Number(v)) && Number(v) >= 0 && v !== null && v !== ''))
				throw bad(`${FIELD_LABEL(k)} 应为非负数 / must be a number ≥ 0`);
		}
	}
	const foreign = named.filter((n) => !allowed.includes(n));
	if (foreign.length)
		throw bad(
			`「${KIND_LABEL[kind]}」变更不能修改 ${[...new Set(foreign)].map(FIELD_LABEL).join(', ')} / this kind of change cannot amend them` +
				(allowed.length ? `；可修改 may amend: ${allowed.map(FIELD_LABEL).join(', ')}` : ''),
		);
}

export interface AmendedValue {
	/** 'contract', or the line's number. */
	target: 'contract' | 'line';
	line_no?: number;
	line?: string;
	field: string;
	from: unknown;
	to: unknown;
}

export interface AmendmentPlan {
	contract: Partial<Record<ContractField, unknown>>;
	lines: { id: string; update: Partial<Record<LineField, unknown>> }[];
	/** from -> to of every value that changes: stored on the change and in the audit trail. */
	amended: AmendedValue[];
}

const sameValue = (a: unknown, b: unknown) =>
	(a ?? null) === (b ?? null) || String(a ?? '') === String(b ?? '') || (a != null && b != null && Number(a) === Number(b) && !Number.isNaN(Number(a)));
const dateOnly = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' ? v.slice(0, 10) : v);
const norm = (field: string, v: unknown) =>
	v === undefined || v === null ? null : field === 'delivery_date' ? dateOnly(v) : ['quantity', 'unit_price', 'total_amount'].includes(field) ? Number(v) : v;

/** CR-14: the contract's values as the change sets them, with the previous ones kept. */
export function planAmendment(
	kind: string,
	value: unknown,
	contract: Record<string, unknown>,
	lines: readonly (Record<string, unknown> & { id: string; line_no?: unknown })[],
): AmendmentPlan {
	assertAmendments(kind, value);
	const a = parseAmendments(value) ?? {};
	const plan: AmendmentPlan = { contract: {}, lines: [], amended: [] };
	for (const f of CONTRACT_FIELDS) {
		if (a[f] === undefined) continue;
		const from = norm(f, contract[f]);
		const to = norm(f, a[f]);
		if (sameValue(from, to)) continue;
		plan.contract[f] = to;
		plan.amended.push({ target: 'contract', field: f, from, to });
	}
	for (const l of a.lines ?? []) {
		const row = lines.find((r) => Number(r.line_no) === Number(l.line_no));
		if (!row) throw bad(`合同没有第 ${l.line_no} 行 / the contract has no line ${l.line_no}`);
		const update: Partial<Record<LineField, unknown>> = {};
		for (const f of LINE_FIELDS) {
			if (l[f] === undefined) continue;
			const from = norm(f, row[f]);
			const to = norm(f, l[f]);
			if (sameValue(from, to)) continue;
			update[f] = to;
			plan.amended.push({ target: 'line', line_no: Number(l.line_no), line: row.id, field: f, from, to });
		}
		if (Object.keys(update).length) plan.lines.push({ id: row.id, update });
	}
	return plan;
}

/**
 * CR-14 (Doc 2 4.5.2 "重下新的生产施工流转单", Doc 1 4.6 d): the task notice issued again to the
 * departments the change touches among those that receive task notices (`recipients`: the
 * task-notice plan's list). A termination stops work: its departments are told, no task is issued.
 */
export function planTaskNoticeReissue(input: {
	kind: string;
	recipients: readonly string[];
	contract: { code?: unknown; title?: unknown; delivery_date?: unknown };
	description: unknown;
}): { department: string; due_at: unknown; content: string }[] {
	assertKind(input.kind);
	const c = changeConsequence(input.kind);
	if (c.consequence === 'termination_both_parties') return [];
	const content = `变更 Change (${KIND_LABEL[input.kind]}): ${String(input.description ?? '')} — ${String(input.contract.title ?? '')}`;
	return c.notifyDepartments
		.filter((d) => input.recipients.includes(d))
		.map((department) => ({ department, due_at: input.contract.delivery_date ?? null, content }));
}

/** What recording a change sets in motion (CR-14); the adapter carries it out in one transaction. */
export interface ChangeCreationPlan {
	/** Fields the change record is stored with. */
	record: { consequence: ChangeConsequenceKind; affected_departments: string[]; status: ChangeStatus };
	consequence: ChangeConsequence;
	notification: { departments: string[]; subject: string; message: string };
}

export function planChangeCreation(input: {
	kind: string;
	description: unknown;
	customerConsentRecorded: boolean;
	contractStatus: ContractStatus;
	contractCode: string;
	terminationSignedByBoth: boolean;
	amendments?: unknown;
	actor?: ChangeStepActor | undefined;
}): ChangeCreationPlan {
	if (typeof input.description !== 'string' || !input.description.trim()) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `${label('description')}：必填 / required`, { field: 'description' });
	}
	assertKind(input.kind);
	const actor = input.actor;
	if (actor && !actor.system && !actor.isAdmin) {
		const by = CHANGE_RECORDERS[routeOf(input.kind)];
		if (!by.some((d) => actor.departments.includes(d)))
			throw new DomainError(
				'CP_NOT_DEPARTMENT_MEMBER',
				`「${KIND_LABEL[input.kind]}」变更申请由${by.map(dept).join('或')}登记 / recorded by ${by.map(dept).join(' or ')}`,
				{ field: 'kind' },
			);
	}
	const consequence = assertChangeAllowed({
		kind: input.kind as ChangeKind,
		customerConsentRecorded: input.customerConsentRecorded,
		contractStatus: input.contractStatus,
		terminationSignedByBoth: input.terminationSignedByBoth,
	});
	assertAmendments(input.kind, input.amendments);
	if (consequence.consequence === 'termination_both_parties')
		assertContractTransition(input.contractStatus, 'terminated', { terminationSignedByBoth: input.terminationSignedByBoth });
	return {
		// Recorded, not yet in force: the supervising leader approves it (Doc 1 4.6 b).
		record: { consequence: consequence.consequence, affected_departments: consequence.notifyDepartments, status: 'requested' },
		consequence,
		notification: {
			departments: routeOf(input.kind) === 'customer' ? ['deputy_gm', 'gm'] : ['technical'],
			subject: `合同变更待批准 Contract change to approve: ${input.contractCode}`,
			message: `${KIND_LABEL[input.kind]}: ${input.description}`,
		},
	};
}
