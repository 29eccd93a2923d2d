/**
 * Domain errors. The host maps `status` to the HTTP status and returns `code`
 * unchanged, so codes are a stable public contract: add codes, never rename.
 */

/** Code -> default HTTP status. 403 = the actor may not do this, 409 = the record's state forbids it, 400 = bad input. */
export const ERROR_STATUS = {
	CP_INVALID_VALUE: 400,
	CP_REQUIRED_FIELDS_MISSING: 400,
	CP_OPINION_REQUIRED: 400,
	CP_RESOLUTION_REQUIRED: 400,
	CP_EVIDENCE_REQUIRED: 400,
	/** A change whose outcome is each record's own (a transition, a stamp) sent for several records at once. */
	CP_ONE_AT_A_TIME: 400,

	CP_NOT_DEPARTMENT_MEMBER: 403,
	CP_RETAINED: 403,
	CP_SYSTEM_ONLY: 403,
	/** The viewer may not read a collection an indicator aggregates. */
	CP_READ_FORBIDDEN: 403,
	/** Only an administrator changes the process settings, whatever the permissions grant. */
	CP_ADMIN_ONLY: 403,

	CP_ILLEGAL_TRANSITION: 409,
	/** This server already runs as many background evidence exports as it takes at once (issue 14). */
	CP_EXPORT_BUSY: 409,
	/** A row other records still reference (a company customer linked to cp_customers). */
	CP_IN_USE: 409,
	/** A signed, closed or answered record is evidence; it changes only by a recorded correction. */
	CP_RECORD_FROZEN: 409,
	CP_REVIEW_INCOMPLETE: 409,
	CP_OPEN_DISCREPANCIES: 409,
	CP_ORAL_ORDER_UNCONFIRMED: 409,
	CP_ORAL_ORDERS_REFUSED: 409,
	CP_FORMAL_CONTRACT_REQUIRED: 409,
	CP_TASK_NOTICE_MISSING: 409,
	CP_TERMINATION_NOT_SIGNED: 409,
	CP_LINE_ALREADY_SIGNED: 409,
	CP_CUSTOMER_CONSENT_REQUIRED: 409,
	/** A contract change notice takes effect only once the customer's confirmation is recorded: who, when, how, evidence (CR-14). */
	CP_CUSTOMER_CONFIRMATION_REQUIRED: 409,
	CP_CHANGE_NOT_ALLOWED: 409,
	CP_COMPLAINT_NOT_CLOSABLE: 409,
	CP_INVESTIGATION_INCOMPLETE: 409,
	CP_RESPONSE_NOT_SENT: 409,
	CP_VERIFICATION_NOT_REJECTED: 409,
	CP_PROPERTY_BLOCKED: 409,
	CP_DISPOSITION_REQUIRED: 409,
	/** PR-6: a blocked item is isolated before any disposition of it is recorded. */
	CP_ISOLATION_REQUIRED: 409,
	CP_NO_OPEN_PROBLEM: 409,
	CP_INSPECTION_REQUIRED: 409,
	CP_CUSTOMER_ACK_REQUIRED: 409,
	CP_EVENT_NOT_ALLOWED: 409,
	CP_DUPLICATE_CODE: 409,
	CP_EVENT_REQUIRED: 409,
	// Complaints and communication (CP-*, CC-*).
	CP_DUPLICATE_COMPLAINT: 409,
	CP_DUPLICATE_SURVEY: 409,
	CP_CLOCK_ALREADY_PAUSED: 409,
	CP_CLOCK_NOT_PAUSED: 409,
	CP_ACTION_NOT_ALLOWED: 409,
	/** One answer for every unusable public link (forged, expired, used), so it leaks nothing. */
	CP_LINK_INVALID: 404,
	CP_RATE_LIMITED: 429,
	/** The audit trail cannot be written, so the step was refused and rolled back. */
	CP_AUDIT_UNAVAILABLE: 503,
} as const;

export type DomainErrorCode = keyof typeof ERROR_STATUS;

export interface DomainErrorOptions {
	status?: number | undefined;
	field?: string | undefined;
	details?: Record<string, unknown> | undefined;
}

export class DomainError extends Error {
	readonly code: DomainErrorCode;
	readonly status: number;
	readonly field?: string;
	readonly details?: Record<string, unknown>;

	constructor(code: DomainErrorCode, message: string, options: DomainErrorOptions = {}) {
		super(message);
		this.name = 'DomainError';
		this.code = code;
		this.status = options.status ?? ERROR_STATUS[code] ?? 400;
		if (options.field !== undefined) this.field = options.field;
		if (options.details !== undefined) this.details = options.details;
	}
}

export function isDomainError(e: unknown): e is DomainError {
	return e instanceof DomainError;
}

/** One failed guard; several are collected so the user sees everything that is missing at once. */
export interface GuardFailure {
	code: DomainErrorCode;
	message: string;
	field?: string | undefined;
}

/**
 * Throws one error for all failures: the code of the first (most important)
 * failure, a message listing all of them, and the list in details.failures.
 */
export function throwIfFailures(prefix: string, failures: readonly GuardFailure[], details: Record<string, unknown> = {}): void {
	const first = failures[0];
	if (!first) return;
	const options: DomainErrorOptions = { details: { ...details, failures: [...failures] } };
	if (first.field !== undefined) options.field = first.field;
	throw new DomainError(first.code, `${prefix}: ${failures.map((f) => f.message).join('; ')}`, options);
}

/** Shape shared by every transition table: from -> { to: guardName }. */
export type TransitionTable<S extends string, G extends string> = Readonly<Record<S, Readonly<Partial<Record<S, G>>>>>;

/**
 * Looks a transition up in a table and returns its guard name, or throws
 * CP_ILLEGAL_TRANSITION naming the allowed targets (unknown statuses are
 * CP_INVALID_VALUE, since they are bad input rather than a state conflict).
 */
export function lookupTransition<S extends string, G extends string>(machine: string, table: TransitionTable<S, G>, from: string, to: string): G {
	if (!Object.hasOwn(table, from)) {
		throw new DomainError('CP_INVALID_VALUE', `Unknown ${machine} status '${from}'`, { field: 'status' });
	}
	if (!Object.hasOwn(table, to)) {
		throw new DomainError('CP_INVALID_VALUE', `Unknown ${machine} status '${to}'`, { field: 'status' });
	}
	const row = table[from as S];
	const guard = row[to as S];
	if (guard === undefined) {
		const allowed = Object.keys(row);
		throw new DomainError(
			'CP_ILLEGAL_TRANSITION',
			`${machine} cannot move from '${from}' to '${to}'; allowed from '${from}': ${allowed.length ? allowed.join(', ') : 'none (final status)'}`,
			{ field: 'status', details: { from, to, allowed } },
		);
	}
	return guard;
}

/** Targets reachable from a status, e.g. to drive the UI's status dropdown. */
export function allowedTargets<S extends string, G extends string>(table: TransitionTable<S, G>, from: S): S[] {
	return Object.keys(table[from] ?? {}) as S[];
}

/** Empty or whitespace; a number or boolean (a form field sent as one) is not blank. */
export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || String(value).trim() === '';
}
