/**
 * What the feedback handling form needs on top of the status table (complaint-status.ts):
 * who may move it, the fields each step must have (CP-2, CP-4, CP-6), the close check
 * listing everything missing, corrective-action reminders (CP-3) and customer links (CP-5).
 */
import { createHash } from 'node:crypto';
import { DomainError, isBlank, lookupTransition, type GuardFailure, throwIfFailures } from '../errors';
import { CATALOGUE, values } from '../catalogue';
import { departmentName } from '../departments';
import { isBreached } from './clock';
import { assertTextBounds, complaintDeadlines, complaintDedupeKey, parseInstant, type DeadlineSettings } from './intake';
import { assertContractRef, assertCustomerRef, assertUserRef, keyOf, recordKey } from './references';
import {
	COMPLAINT_STATUSES,
	COMPLAINT_TRANSITIONS,
	assertComplaintTransition,
	closeBlockers,
	transitionNeedsActions,
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
	/** X-6: who takes each step (cp_settings.complaint_departments resolved); default GUARD_DEPARTMENTS. */
	movers: Readonly<Partial<Record<ComplaintGuard, readonly string[]>>> = GUARD_DEPARTMENTS,
): ComplaintGuard {
	const guard: ComplaintGuard = lookupTransition('Complaint', COMPLAINT_TRANSITIONS, from, to);
	const allowed = movers[guard] ?? GUARD_DEPARTMENTS[guard];
	if (!actor.privileged && !actor.departments.some((d) => allowed.includes(d))) {
		throw new DomainError(
			'CP_NOT_DEPARTMENT_MEMBER',
			`Moving a complaint from '${from}' to '${to}' is for ${allowed.map((d) => `${departmentName(d, 'zh')} ${departmentName(d)}`).join(' or ')}`,
			{
				field: 'status',
				details: { from, to, departments: allowed },
			},
		);
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
/** The statuses an action is reminded and escalated in (open, overdue): all but the finished ones. */
export const ACTION_OPEN_STATUSES: readonly string[] = ACTION_STATUSES.filter((s) => !ACTION_DONE.includes(s));

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

// ------------------------------------------------------------------ plans of a staff write (CP-2..CP-6)

type Row = Record<string, any>;

/** Timestamps come back as Date (pg, mysql), epoch ms (SQLite through Directus) or ISO text. */
export function instant(v: unknown): Date | null {
	if (v === null || v === undefined || v === '') return null;
	if (v instanceof Date) return v;
	if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) return new Date(Number(v));
	const d = new Date(String(v));
	return Number.isNaN(d.getTime()) ? null : d;
}

const flag = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';

/** An audit entry a plan asks for; the adapter writes it in the transaction of the change. */
export interface PlannedAudit {
	action: string;
	from_status?: string | null;
	to_status?: string | null;
	data?: Record<string, unknown> | null;
}

/** A status change and what it decides: written with its audit entry, conditional on the status read. */
export interface PlannedTransition {
	from: string;
	to: string;
	change: Row;
}

export const COMPLAINT_CHANNELS = values(CATALOGUE.cp_complaints.channel);
export const ROOT_CAUSE_CATEGORIES = values(CATALOGUE.cp_complaints.root_cause_category);
export const PRODUCT_DISPOSITIONS = values(CATALOGUE.cp_complaints.product_disposition);

/** A choice field's value must be one of the form's options. */
export function assertChoice(payload: Row, field: string, allowed: readonly string[]): void {
	const v = payload[field];
	if (v === undefined || v === null) return;
	if (typeof v !== 'string' || !allowed.includes(v)) {
		throw new DomainError('CP_INVALID_VALUE', `${field} must be one of ${allowed.join(', ')}, got '${String(v)}'`, { field });
	}
}

/** A department field names a configured department (X-6: departments are data). */
export function assertDepartmentKey(known: readonly string[], v: unknown, field: string): void {
	if (v === undefined || v === null) return;
	if (typeof v !== 'string' || (known.length && !known.includes(v))) {
		throw new DomainError('CP_INVALID_VALUE', `${field} must be a department key (${known.join(', ')}), got '${String(v)}'`, { field });
	}
}

/** What the form decides when a transition happens, besides the status (written with the transition). */
export const COMPLAINT_TRANSITION_FIELDS = [
	'status',
	'responded_at',
	'response_breached',
	'resolution_breached',
	'response_content',
	'verification',
	'verified_at',
	'verification_note',
	'no_verification_reason',
	'no_action_reason',
	'root_cause_category',
	'root_cause',
	'responsible_department',
	'product_disposition',
] as const;

/** The complaint's identity: a change of one of them re-checks that it is not recorded twice (CP-1). */
const IDENTITY_FIELDS = ['customer', 'summary', 'product', 'batch', 'contract'];

export interface ComplaintUpdateFacts {
	now: Date;
	actor: { departments: readonly string[]; privileged: boolean };
	/** The corrective actions linked to the complaint (CP-3 closing gate). */
	actions: readonly { status: string }[];
	/** The configured department keys. */
	departments: readonly string[];
	/** X-6: who takes each step of the form (cp_settings.complaint_departments resolved); default GUARD_DEPARTMENTS. */
	movers?: Readonly<Partial<Record<ComplaintGuard, readonly string[]>>> | undefined;
	/** The company's time zone: the duplicate key counts the local day of receipt. */
	zone: string;
	/** The response / resolution clock settings (cp_settings): the breach is judged on them. */
	deadlines: DeadlineSettings;
}

export interface ComplaintUpdatePlan {
	/** What Directus writes: the request plus the server's stamps. */
	write: Row;
	/** The status change, written before Directus's write together with its audit entry (X-2). */
	transition: PlannedTransition | null;
	audit: PlannedAudit[];
	/** Set when the identity changed: no other complaint may have this duplicate key. */
	dedupeKey: string | null;
}

/** Where a write moves the complaint; CP-5: a rejected verification without a status reopens it. */
function targetStatus(from: ComplaintStatus, payload: Row): ComplaintStatus {
	if (payload.verification === 'rejected' && payload.status === undefined) return 'reopened';
	return (payload.status ?? from) as ComplaintStatus;
}

/**
 * Whether planComplaintUpdate needs the complaint's corrective actions for this write: only a
 * move whose gate looks at them (closing, CP-3). The adapter loads them only then (issue 14).
 */
export function complaintUpdateNeedsActions(row: Row, payload: Row): boolean {
	const from = row.status as ComplaintStatus;
	return transitionNeedsActions(from, targetStatus(from, payload));
}

/**
 * One staff write of the feedback handling form (the policy has already said who may write which
 * field): the input checks, the transition and its gates (CP-2..CP-6), and the stamps it decides.
 * Worked example: a complaint received Monday 09:00 with a 72-hour response due Thursday 09:00 and
 * answered Wednesday 15:00 gets responded_at = Wednesday 15:00 and response_breached = false;
 * answered the next Friday 03:00 (90 h) it is breached, even after a 30-hour pause (CP-4).
 * A rejected verification without a status reopens the complaint (CP-5).
 */
export function planComplaintUpdate(row: Row, payload: Row, facts: ComplaintUpdateFacts): ComplaintUpdatePlan {
	const { now } = facts;
	assertTextBounds(payload);
	assertChoice(payload, 'channel', COMPLAINT_CHANNELS);
	assertChoice(payload, 'root_cause_category', ROOT_CAUSE_CATEGORIES);
	assertChoice(payload, 'product_disposition', PRODUCT_DISPOSITIONS);
	assertChoice(payload, 'verification', VERIFICATION_DECISIONS);
	assertDepartmentKey(facts.departments, payload.responsible_department, 'responsible_department');
	if (Object.hasOwn(payload, 'summary') && (typeof payload.summary !== 'string' || isBlank(payload.summary))) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'summary cannot be empty', { field: 'summary' });
	}
	const write: Row = { ...payload };
	const merged: Row = { ...row, ...payload };
	let dedupeKey: string | null = null;
	if (IDENTITY_FIELDS.some((f) => Object.hasOwn(payload, f))) {
		dedupeKey = complaintDedupeKey({
			customer: String(merged.customer),
			summary: String(merged.summary ?? ''),
			product: merged.product,
			batch: merged.batch,
			receivedAt: instant(row.received_at) ?? now,
			zone: facts.zone,
		});
		write.dedupe_key = dedupeKey;
	}

	const from = row.status as ComplaintStatus;
	const to = targetStatus(from, payload);
	if (payload.verification !== undefined) {
		if (payload.verification === null || (from !== 'verifying' && to !== 'verifying')) {
			throw new DomainError(
				'CP_INVALID_VALUE',
				`The customer's verification is recorded while the complaint is being verified (status 'verifying'), not '${from}'`,
				{ field: 'verification' },
			);
		}
		write.verified_at = now.toISOString();
	}
	if (to === from) return { write, transition: null, audit: [], dedupeKey };

	if (!(COMPLAINT_STATUSES as readonly string[]).includes(to)) {
		throw new DomainError('CP_INVALID_VALUE', `Unknown complaint status '${String(to)}'`, { field: 'status' });
	}
	const respondedAt = instant(row.responded_at);
	assertFormTransition(
		from,
		to,
		{
			responseSentAt: to === 'responded' ? now : respondedAt,
			responseContent: merged.response_content,
			actions: facts.actions,
			verification: merged.verification ?? null,
			noVerificationReason: merged.no_verification_reason,
			noActionReason: merged.no_action_reason,
			rootCause: merged.root_cause,
			rootCauseCategory: merged.root_cause_category,
			responsibleDepartment: merged.responsible_department,
			productDisposition: merged.product_disposition,
		},
		facts.actor,
		facts.movers,
	);
	write.status = to;
	if (to === 'responded' && !respondedAt) {
		write.responded_at = now.toISOString();
		// CP-4: "an answer after the deadline is a breach however the clock was paused". The breach is
		// judged against the deadline WITHOUT pauses (received_at + the response time in the configured
		// mode), so those the clock measures cannot stop it; response_due_at keeps the paused working
		// target. Recorded once at the first written response; never cleared.
		const receivedAt = instant(row.received_at);
		const unpausedDue = receivedAt ? complaintDeadlines(receivedAt, facts.deadlines, []).responseDueAt : instant(row.response_due_at);
		write.response_breached = flag(row.response_breached) || isBreached(unpausedDue, now);
	}
	// A new verification round: an earlier (rejected) answer no longer counts.
	if (to === 'verifying' && payload.verification === undefined) {
		write.verification = null;
		write.verified_at = null;
	}
	if (to === 'closed') write.resolution_breached = flag(row.resolution_breached) || isBreached(instant(row.resolution_due_at), now);
	const change: Row = {};
	for (const f of COMPLAINT_TRANSITION_FIELDS) if (Object.hasOwn(write, f)) change[f] = write[f];
	return { write, transition: { from, to, change }, audit: [{ action: 'transition', from_status: from, to_status: to }], dedupeKey };
}

// ------------------------------------------------------------------ intake of a complaint (CP-1, CP-4)

export interface IntakeFacts {
	now: Date;
	/** The configured department keys. */
	departments: readonly string[];
	/** X-6: who takes each step of the form (cp_settings.complaint_departments resolved); default GUARD_DEPARTMENTS. */
	movers?: Readonly<Partial<Record<ComplaintGuard, readonly string[]>>> | undefined;
	/** The company's time zone: the duplicate key counts the local day of receipt. */
	zone: string;
	/** The response / resolution clock settings (cp_settings). */
	deadlines: DeadlineSettings;
	/** The given customer key names a cp_customers record. */
	customerExists: boolean;
	/** The contract the given key names, or null when none (or none was given). */
	contract: { customer?: unknown } | null;
	/** The complaint already recorded under the duplicate key (intakeDedupeKey), or null. */
	duplicate: { id: unknown; code: unknown } | null;
}

export interface IntakePlan {
	/** What is stored: the request with the status, the key and the due dates decided here. */
	write: Row;
	receivedAt: Date;
	dedupeKey: string;
	/** No code given: the adapter numbers the complaint KF-YYYY-NNNN in the year of receipt. */
	numberCode: boolean;
}

const intakeKey = (customer: string, payload: Row, receivedAt: Date, zone: string) =>
	complaintDedupeKey({ customer, summary: payload.summary, product: payload.product, batch: payload.batch, receivedAt, zone });

/**
 * The duplicate key a new complaint will have, for the adapter to look the duplicate up; null when
 * the fields it is made of are not usable yet (planIntake refuses them).
 */
export function intakeDedupeKey(payload: Row, facts: { now: Date; zone: string }): string | null {
	const customer = recordKey(payload.customer);
	if (!customer || typeof payload.summary !== 'string' || payload.received_at === undefined || payload.received_at === null) return null;
	try {
		return intakeKey(customer, payload, parseInstant(payload.received_at, 'received_at', { now: facts.now, notInFuture: true }), facts.zone);
	} catch {
		return null;
	}
}

/** CP-1: the same complaint is recorded once (same customer, text, product/batch and day). */
export function assertNoDuplicateComplaint(existing: { id: unknown; code: unknown } | null | undefined): void {
	if (existing) {
		throw new DomainError('CP_DUPLICATE_COMPLAINT', `This complaint was already recorded as ${existing.code} (same customer, text, product/batch and day)`, {
			field: 'summary',
			details: { existing: existing.code, existing_id: existing.id },
		});
	}
}

/**
 * A new customer complaint (CP-1): it starts as 'received' with what the customer reports and when
 * it was received, the customer's re-verification comes later, and the due dates start at receipt.
 * Worked example: received Monday 2 March 2026 09:00 Shanghai with 72 response hours: response due
 * Thursday 5 March 09:00.
 */
export function planIntake(payload: Row, facts: IntakeFacts): IntakePlan {
	if (payload.status !== undefined && payload.status !== 'received') {
		throw new DomainError('CP_INVALID_VALUE', `status: a complaint starts as 'received', not '${String(payload.status)}'`, { field: 'status' });
	}
	assertTextBounds(payload);
	if (typeof payload.summary !== 'string' || isBlank(payload.summary)) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'summary is required (what the customer reports)', { field: 'summary' });
	}
	assertChoice(payload, 'channel', COMPLAINT_CHANNELS);
	assertChoice(payload, 'root_cause_category', ROOT_CAUSE_CATEGORIES);
	assertChoice(payload, 'product_disposition', PRODUCT_DISPOSITIONS);
	if (payload.verification !== undefined && payload.verification !== null) {
		throw new DomainError('CP_INVALID_VALUE', 'verification is recorded when the customer re-verifies, not at intake', { field: 'verification' });
	}
	assertDepartmentKey(facts.departments, payload.responsible_department, 'responsible_department');
	const customer = assertCustomerRef(payload.customer, facts.customerExists);
	assertContractRef(payload.contract, facts.contract, customer);
	if (payload.received_at === undefined || payload.received_at === null) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'received_at is required (when the feedback was received)', { field: 'received_at' });
	}
	const receivedAt = parseInstant(payload.received_at, 'received_at', { now: facts.now, notInFuture: true });
	const dedupeKey = intakeKey(customer, payload, receivedAt, facts.zone);
	assertNoDuplicateComplaint(facts.duplicate);
	const { responseDueAt, resolutionDueAt } = complaintDeadlines(receivedAt, facts.deadlines, []);
	return {
		write: {
			...payload,
			status: 'received',
			received_at: receivedAt.toISOString(),
			dedupe_key: dedupeKey,
			response_due_at: responseDueAt?.toISOString() ?? null,
			resolution_due_at: resolutionDueAt?.toISOString() ?? null,
			response_breached: false,
			resolution_breached: false,
		},
		receivedAt,
		dedupeKey,
		numberCode: isBlank(payload.code),
	};
}

// ------------------------------------------------------------------ corrective actions (CP-3)

export const ACTION_TEXT_LIMITS: Readonly<Record<string, number>> = { title: 255 };

/** CP-3: every action has a deadline, and a deadline in the past is a typing error. */
export function parseDue(v: unknown, now: Date): string {
	if (v === undefined || v === null || v === '') {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'due_at is required (CP-3: every action has a deadline)', { field: 'due_at' });
	}
	const d = parseInstant(v, 'due_at');
	if (d.getTime() < now.getTime() - 60_000) throw new DomainError('CP_INVALID_VALUE', `due_at ${d.toISOString()} is in the past`, { field: 'due_at' });
	return d.toISOString();
}

// Visits and surveys may lead to tracked improvements too (CC-3, CC-4).
export const ACTION_SOURCES: readonly string[] = ['cp_complaints', 'cp_discrepancies', 'cp_property', 'cp_communications'];

/** The collections an action may come from: the only ones an adapter looks a source up in. */
export const isActionSource = (collection: unknown): collection is string => typeof collection === 'string' && ACTION_SOURCES.includes(collection);

export interface ActionCreationFacts {
	now: Date;
	departments: readonly string[];
	/** The given owner key names a user. */
	ownerExists: boolean;
	/** The record source_collection / source_id name (with its status and code), or null. */
	source: Row | null;
}

/**
 * A new corrective action (CP-3): what will be done, by whom, by when, and where it comes from;
 * it starts 'open', and a closed complaint takes no new action until it is reopened.
 * Worked example: 'Raise the gluing temperature' owned by a production user, due in a week, from
 * complaint KF-2026-0001 while it is in 'action': open; the same on a closed KF-2026-0001: refused.
 */
export function planActionCreation(payload: Row, facts: ActionCreationFacts): { write: Row } {
	assertTextBounds(payload, ACTION_TEXT_LIMITS);
	if (typeof payload.title !== 'string' || isBlank(payload.title)) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'title is required (what will be done)', { field: 'title' });
	}
	if (payload.status !== undefined && payload.status !== 'open') {
		throw new DomainError('CP_INVALID_VALUE', `status: an action starts as 'open', not '${String(payload.status)}'`, { field: 'status' });
	}
	assertDepartmentKey(facts.departments, payload.department, 'department');
	assertUserRef(payload.owner, facts.ownerExists, 'owner');
	const due = parseDue(payload.due_at, facts.now);
	const collection = payload.source_collection;
	if (collection === undefined || collection === null) {
		if (payload.source_id !== undefined && payload.source_id !== null)
			throw new DomainError('CP_INVALID_VALUE', 'source_id needs source_collection', { field: 'source_collection' });
	} else {
		if (!isActionSource(collection)) {
			throw new DomainError('CP_INVALID_VALUE', `source_collection must be one of ${ACTION_SOURCES.join(', ')}`, { field: 'source_collection' });
		}
		const key = keyOf(payload.source_id, 'source_id');
		if (!key) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'source_id is required with source_collection', { field: 'source_id' });
		if (!facts.source) throw new DomainError('CP_INVALID_VALUE', `${collection} '${key}' does not exist`, { field: 'source_id' });
		if (collection === 'cp_complaints' && facts.source.status === 'closed') {
			throw new DomainError('CP_ACTION_NOT_ALLOWED', `Complaint ${facts.source.code} is closed; reopen it to add actions`, { field: 'source_id' });
		}
	}
	return { write: { ...payload, status: 'open', due_at: due, ...(payload.source_id !== undefined ? { source_id: String(payload.source_id) } : {}) } };
}

export interface ActionUpdateFacts {
	now: Date;
	actor: { departments: readonly string[]; privileged: boolean; system: boolean };
	departments: readonly string[];
}

export interface ActionUpdatePlan {
	write: Row;
	transition: PlannedTransition | null;
	audit: PlannedAudit[];
}

/**
 * One write of a corrective action (CP-3): done stamps done_at, back to open clears it, Quality
 * verifies a done action, 'overdue' is the scheduler's; a new deadline gets its own reminder and
 * escalation, and an overdue action with a new deadline is open again.
 */
export function planActionUpdate(row: Row, payload: Row, facts: ActionUpdateFacts): ActionUpdatePlan {
	const { now, actor } = facts;
	assertTextBounds(payload, ACTION_TEXT_LIMITS);
	if (Object.hasOwn(payload, 'title') && (typeof payload.title !== 'string' || isBlank(payload.title))) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'title cannot be empty', { field: 'title' });
	}
	assertDepartmentKey(facts.departments, payload.department, 'department');
	const write: Row = { ...payload };
	if (Object.hasOwn(payload, 'due_at')) {
		write.due_at = parseDue(payload.due_at, now);
		if (write.due_at !== instant(row.due_at)?.toISOString()) {
			write.reminded_at = null;
			write.escalated_at = null;
			if (row.status === 'overdue' && payload.status === undefined) write.status = 'open';
		}
	}
	const from = String(row.status);
	const to = String(write.status ?? from);
	if (to === from) return { write, transition: null, audit: [] };
	if (to === 'overdue' && !actor.system) throw new DomainError('CP_SYSTEM_ONLY', "'overdue' is set by the scheduler", { field: 'status' });
	// Reopened by its new deadline, not by hand (the table has no overdue -> open move).
	const rescheduled = from === 'overdue' && to === 'open' && payload.status === undefined;
	if (!rescheduled) assertActionTransition(from, to);
	if (to === 'verified' && !actor.privileged && !actor.departments.includes('quality')) {
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', 'Quality verifies corrective actions (CP-3)', { field: 'status' });
	}
	if (to === 'done') write.done_at = now.toISOString();
	if (to === 'open') write.done_at = null;
	const change: Row = {};
	for (const f of ['status', 'done_at', 'due_at', 'reminded_at', 'escalated_at']) if (Object.hasOwn(write, f)) change[f] = write[f];
	return { write, transition: { from, to, change }, audit: [{ action: 'transition', from_status: from, to_status: to }] };
}

/** A recorded correction of a closed form passes the form's own input checks (X-5): bounded text, a non-empty summary. */
export function correctedComplaintValue(field: string, value: unknown): unknown {
	assertTextBounds({ [field]: value });
	if (field === 'summary' && (typeof value !== 'string' || isBlank(value))) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'summary cannot be empty', { field: 'summary' });
	}
	return value;
}
