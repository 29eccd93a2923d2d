/**
 * Samples (CR-15) and tooling cost estimates (CR-16), Doc 2 4.4: a sample is made with recorded
 * parameters, inspected before it is sent, and the customer-approved one is kept as the sealed
 * reference; a rejected sample is remade. A tooling estimate is checked by Sales, given a
 * cost-sharing plan and approved by the GM, with the customer's consent.
 */
import { type GuardFailure, isBlank, lookupTransition, throwIfFailures, type TransitionTable } from '../errors';

export type SampleStatus = 'requested' | 'in_progress' | 'inspected' | 'sent' | 'approved' | 'rejected' | 'closed';
export type SampleGuard =
	'start' | 'inspect' | 'send' | 'customer_approves' | 'customer_rejects' | 'remake' | 'close' | 'sales_check' | 'gm_approve' | 'decline';

/** Samples. */
export const SAMPLE_TRANSITIONS = {
	requested: { in_progress: 'start' },
	in_progress: { inspected: 'inspect' },
	// Only a passed sample leaves the house; a failed one is made again.
	inspected: { sent: 'send', in_progress: 'remake' },
	sent: { approved: 'customer_approves', rejected: 'customer_rejects' },
	rejected: { in_progress: 'remake' },
	approved: { closed: 'close' },
	closed: {},
} as const satisfies TransitionTable<SampleStatus, SampleGuard>;

/** Tooling cost estimates (no inspection and no shipment: a money decision). */
export const TOOLING_TRANSITIONS = {
	requested: { in_progress: 'sales_check', rejected: 'decline' },
	in_progress: { approved: 'gm_approve', rejected: 'decline' },
	inspected: {},
	sent: {},
	rejected: {},
	approved: { closed: 'close' },
	closed: {},
} as const satisfies TransitionTable<SampleStatus, SampleGuard>;

export interface SampleFacts {
	kind: 'sample' | 'tooling';
	actorDepartments: readonly string[];
	isAdmin: boolean;
	parameters?: string | null;
	inspectionResult?: 'pass' | 'fail' | null;
	inspectionReport?: string | null;
	sealedReference?: boolean;
	toolingEstimate?: number | null;
	costSharingPlan?: string | null;
	customerConsentAt?: string | Date | null;
}

const member = (f: SampleFacts, dept: string) => f.isAdmin || f.actorDepartments.includes(dept);
const need = (ok: boolean, code: GuardFailure['code'], message: string, field: string): GuardFailure[] => (ok ? [] : [{ code, message, field }]);

const GUARDS: Record<SampleGuard, (f: SampleFacts) => GuardFailure[]> = {
	start: (f) => need(!isBlank(f.parameters), 'CP_REQUIRED_FIELDS_MISSING', 'the sample is made with recorded parameters (CR-15)', 'parameters'),
	inspect: (f) => [
		...need(member(f, 'quality'), 'CP_NOT_DEPARTMENT_MEMBER', 'only Quality inspects a sample (CR-15)', 'inspection_result'),
		...need(
			f.inspectionResult === 'pass' || f.inspectionResult === 'fail',
			'CP_REQUIRED_FIELDS_MISSING',
			'inspection_result (pass or fail) is required (CR-15)',
			'inspection_result',
		),
		...need(!isBlank(f.inspectionReport), 'CP_REQUIRED_FIELDS_MISSING', 'the sample inspection report is required (CR-15)', 'inspection_report'),
	],
	send: (f) =>
		need(f.inspectionResult === 'pass', 'CP_ILLEGAL_TRANSITION', 'only a sample that passed inspection is sent to the customer (CR-15)', 'inspection_result'),
	customer_approves: (f) =>
		need(
			Boolean(f.sealedReference),
			'CP_REQUIRED_FIELDS_MISSING',
			'the customer-approved sample is kept as the sealed reference: tick sealed_reference (CR-15)',
			'sealed_reference',
		),
	customer_rejects: () => [],
	remake: () => [],
	close: () => [],
	sales_check: (f) => [
		...need(member(f, 'sales'), 'CP_NOT_DEPARTMENT_MEMBER', 'Sales checks the tooling estimate (CR-16)', 'status'),
		...need(
			f.toolingEstimate != null && Number(f.toolingEstimate) > 0,
			'CP_REQUIRED_FIELDS_MISSING',
			'tooling_estimate must be a positive amount (CR-16)',
			'tooling_estimate',
		),
	],
	gm_approve: (f) => [
		...need(member(f, 'gm'), 'CP_NOT_DEPARTMENT_MEMBER', 'the General Manager approves tooling cost sharing (CR-16)', 'status'),
		...need(!isBlank(f.costSharingPlan), 'CP_REQUIRED_FIELDS_MISSING', 'the cost-sharing plan is required (CR-16)', 'cost_sharing_plan'),
		...need(
			Boolean(f.customerConsentAt),
			'CP_CUSTOMER_CONSENT_REQUIRED',
			"the customer's consent to the cost sharing is not recorded (CR-16)",
			'customer_consent_at',
		),
	],
	decline: () => [],
};

/** Checks a sample / tooling status change; returns the guard name for the audit trail. */
export function assertSampleTransition(from: SampleStatus, to: SampleStatus, facts: SampleFacts): SampleGuard {
	const table = facts.kind === 'tooling' ? TOOLING_TRANSITIONS : SAMPLE_TRANSITIONS;
	const guard: SampleGuard = lookupTransition(facts.kind === 'tooling' ? 'Tooling estimate' : 'Sample', table, from, to);
	throwIfFailures(`${facts.kind === 'tooling' ? 'Tooling estimate' : 'Sample'} cannot move from '${from}' to '${to}'`, GUARDS[guard](facts), {
		from,
		to,
		guard,
	});
	return guard;
}

type Row = Record<string, any>;

/**
 * One status change of a sample or tooling estimate: the table's check on the record as it will be
 * (stored values plus the request), the GM's approval stamped with the approver, and a remade sample
 * inspected again (the old result does not carry over). Null when the status does not change.
 */
export function planSampleTransition(
	row: Row,
	payload: Row,
	actor: { userId: string | null; departments: readonly string[]; privileged: boolean },
): { stamps: Row; audit: { action: SampleGuard; from_status: string; to_status: string } } | null {
	if (!('status' in payload) || row.status === payload.status) return null;
	const merged = { ...row, ...payload };
	const yes = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';
	const guard = assertSampleTransition(row.status as SampleStatus, payload.status, {
		kind: row.kind,
		actorDepartments: actor.departments,
		isAdmin: actor.privileged,
		parameters: merged.parameters,
		inspectionResult: merged.inspection_result,
		inspectionReport: merged.inspection_report,
		sealedReference: yes(merged.sealed_reference),
		toolingEstimate: merged.tooling_estimate == null ? null : Number(merged.tooling_estimate),
		costSharingPlan: merged.cost_sharing_plan,
		customerConsentAt: merged.customer_consent_at,
	});
	const stamps: Row = guard === 'gm_approve' ? { approved_by: actor.userId } : guard === 'remake' ? { inspection_result: null } : {};
	return { stamps, audit: { action: guard, from_status: String(row.status), to_status: String(payload.status) } };
}
