/**
 * Discrepancy items (CR-5, Doc 1 4.2.3.1 a-c, Doc 3 4.2.2.9): a reviewer raises the problem in its
 * department's name; Sales resolves it with evidence of the customer contact; where the customer
 * clarified in writing, the raising department's line is reviewed again; the raiser closes it.
 * Pure: the adapter loads the item and the contract, writes what the plan returns.
 */
import { DomainError, isBlank } from '../errors';
import { DEPARTMENT_KEYS, departmentName } from '../departments';
import { assertDiscrepancyTransition, type DiscrepancyStatus } from './review';
import type { AuditEntry, PlanActor } from './contract-plan';

export interface DiscrepancyRow {
	id: string;
	contract: string;
	status: DiscrepancyStatus;
	raised_by_department: string;
	resolution?: string | null;
	customer_contact?: string | null;
	evidence?: string | null;
	customer_clarified_in_writing?: unknown;
	[field: string]: unknown;
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';

/** CR-5: raising an item during the review, in the raiser's own department's name. Returns the fields to store. */
export function planRaiseDiscrepancy(
	contract: { status: string; review_round: unknown } | null | undefined,
	payload: Record<string, unknown>,
	actor: PlanActor,
	/** X-6: the departments that may raise a discrepancy (cp_settings.discrepancy_departments resolved); default every catalogue department. */
	raisers: readonly string[] = DEPARTMENT_KEYS,
): Record<string, unknown> {
	if (!contract) throw new DomainError('CP_INVALID_VALUE', `contract ${JSON.stringify(payload.contract ?? null)} does not exist`, { field: 'contract' });
	if (contract.status !== 'in_review')
		throw new DomainError('CP_ILLEGAL_TRANSITION', `Discrepancies are raised during review; the contract is '${contract.status}' (CR-5)`, {
			field: 'contract',
		});
	const dept = (payload.raised_by_department as string | undefined) ?? (actor.departments.length === 1 ? actor.departments[0] : undefined);
	if (!dept) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `raised_by_department is required`, { field: 'raised_by_department' });
	if (!raisers.includes(dept))
		throw new DomainError(
			'CP_NOT_DEPARTMENT_MEMBER',
			`${departmentName(dept, 'zh')} ${departmentName(dept)} 不提出合同不一致问题 does not raise discrepancies; they are raised by ${raisers.map((d) => `${departmentName(d, 'zh')} ${departmentName(d)}`).join(', ')} (CR-5)`,
			{ field: 'raised_by_department' },
		);
	if (!actor.system && !actor.isAdmin && !actor.departments.includes(dept))
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `Only a member of ${dept} can raise a discrepancy in its name (CR-5)`, { field: 'raised_by_department' });
	for (const f of ['clause', 'problem']) if (isBlank(payload[f])) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `${f} is required (CR-5)`, { field: f });
	if (payload.status && payload.status !== 'open') throw new DomainError('CP_ILLEGAL_TRANSITION', `A discrepancy starts open (CR-5)`, { field: 'status' });
	return { raised_by_department: dept, status: 'open', round: contract.review_round };
}

export interface DiscrepancyUpdateFacts {
	item: DiscrepancyRow;
	payload: Record<string, unknown>;
	actor: PlanActor;
	/** The contract's current round: a written clarification re-opens the raiser's line of it. */
	contractRound: number | string | null;
	/** Whether the evidence file the request names exists (undefined when it names none). */
	evidenceFileExists?: boolean | undefined;
	now: Date;
}

export interface DiscrepancyPlan {
	/** Fields written on the item besides the request's (stamps), or null when the status does not move. */
	stamps: Record<string, unknown> | null;
	as: string | null;
	/** CR-5: the raising department's line to send back to pending. */
	reopenLine: { department: string; round: number | string | null } | null;
	audit: AuditEntry[];
	/** Closing the last item may complete the round (CR-6). */
	checkCompletion: boolean;
}

export function planDiscrepancyUpdate({ item, payload, actor, contractRound, evidenceFileExists, now }: DiscrepancyUpdateFacts): DiscrepancyPlan {
	if (payload.evidence && evidenceFileExists === false) {
		throw new DomainError('CP_INVALID_VALUE', `evidence file ${JSON.stringify(payload.evidence)} does not exist`, { field: 'evidence' });
	}
	const to = payload.status as DiscrepancyStatus | undefined;
	// Content edits are the policy's (who writes which text, nothing once closed).
	if (to === undefined || to === item.status) return { stamps: null, as: null, reopenLine: null, audit: [], checkCompletion: false };
	const merged = { ...item, ...payload };
	const evidenceCount = (isBlank(merged.customer_contact) ? 0 : 1) + (merged.evidence ? 1 : 0);
	const as = assertDiscrepancyTransition(item.status, to, {
		userDepartments: actor.departments,
		isAdmin: actor.isAdmin || actor.system,
		actingAs: actor.isAdmin || actor.system ? (to === 'resolved' ? 'sales' : item.raised_by_department) : undefined,
		raisedBy: item.raised_by_department,
		resolution: merged.resolution,
		evidenceCount,
	});
	let stamps: Record<string, unknown> = {};
	let reopenLine: DiscrepancyPlan['reopenLine'] = null;
	if (to === 'resolved') {
		stamps = { resolved_by: actor.userId, resolved_at: now };
		// What the customer clarified in writing goes back to the raising department's review.
		if (truthy(merged.customer_clarified_in_writing)) reopenLine = { department: item.raised_by_department, round: contractRound };
	} else if (to === 'closed') stamps = { closed_by: actor.userId, closed_at: now };
	return {
		stamps,
		as,
		reopenLine,
		audit: [
			{ collection: 'cp_discrepancies', item: item.id, action: 'transition', from_status: item.status, to_status: to, data: { contract: item.contract } },
		],
		checkCompletion: to === 'closed',
	};
}

/** X-2: the line a written clarification sends back to review, recorded with the item that did it. */
export function reopenedLineAudit(line: { id: string; decision: string }, item: { id: string; contract: string }): AuditEntry {
	return {
		collection: 'cp_review_lines',
		item: line.id,
		action: 'reopened',
		from_status: line.decision,
		to_status: 'pending',
		data: { contract: item.contract, discrepancy: item.id },
	};
}
