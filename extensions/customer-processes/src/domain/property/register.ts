/**
 * The customer property register (PR-1, PR-2, PR-8): what a register line
 * must hold, who may see which kinds, and which fields only events change.
 */
import { DomainError, type GuardFailure, isBlank, lookupTransition, throwIfFailures } from '../errors';
import { PROPERTY_KINDS, PROPERTY_TRANSITIONS, type PropertyEventType, type PropertyGuard, type PropertyKind, type PropertyStatus } from './property-status';

/** Kinds registered piece by piece: one line per serial-numbered item (PR-1, Doc 5 2). */
export const IDENTIFIED_KINDS: readonly PropertyKind[] = ['tooling', 'gauge', 'equipment'];

/** Intangibles whose very existence is confidential: only these departments see them (PR-1). */
export const RESTRICTED_KINDS: readonly PropertyKind[] = ['personal_data', 'intellectual_property'];
export const RESTRICTED_READERS: readonly string[] = ['sales', 'quality'];

/** Fields the events keep up to date; a user edit would make the register disagree with its history. */
export const EVENT_FIELDS: Readonly<Record<string, PropertyEventType>> = {
	status: 'receipt',
	next_check_due: 'check',
	last_check_at: 'check',
	check_notified_for: 'check',
};

export interface Viewer {
	isAdmin: boolean;
	system: boolean;
	departments: readonly string[];
}

export function canSeeKind(viewer: Viewer, kind: string): boolean {
	if (!(RESTRICTED_KINDS as readonly string[]).includes(kind)) return true;
	return viewer.system || viewer.isAdmin || viewer.departments.some((d) => RESTRICTED_READERS.includes(d));
}

/** Kinds to leave out of every list this viewer reads. */
export function hiddenKinds(viewer: Viewer): PropertyKind[] {
	return RESTRICTED_KINDS.filter((k) => !canSeeKind(viewer, k));
}

/**
 * For a line the viewer registers or reclassifies (its own input). A line that exists and is
 * hidden from the viewer is answered as if it did not exist, never with this.
 */
export function assertCanSee(viewer: Viewer, kind: string): void {
	if (!canSeeKind(viewer, kind)) {
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `${kind} items are visible to ${RESTRICTED_READERS.join(' and ')} only (PR-1)`, { field: 'kind' });
	}
}

/**
 * PR-1: whether a line is confidential is decided when it is registered. Moving a line into or
 * out of a confidential kind would show it to everyone or hide it from its custodians, so only
 * an administrator may; everyone else registers a new line.
 */
export function assertKindKept(editor: Pick<Viewer, 'isAdmin' | 'system'>, from: string | null | undefined, to: unknown): void {
	if (editor.isAdmin || editor.system || to === undefined || to === from) return;
	const confidential = (k: unknown) => (RESTRICTED_KINDS as readonly unknown[]).includes(k);
	if (!confidential(from) && !confidential(to)) return;
	throw new DomainError(
		'CP_CHANGE_NOT_ALLOWED',
		`Kind 类别 is fixed once registered for confidential items (${RESTRICTED_KINDS.join(', ')}): '${from}' cannot become '${String(to)}'; register a new line instead (PR-1)`,
		{ field: 'kind', details: { from: from ?? null, to } },
	);
}

/** Decimal fields arrive as numbers or strings ("1.00"); null/'' means not given. */
export function parseQuantity(value: unknown, field = 'quantity'): number | null {
	if (value === undefined || value === null || value === '') return null;
	const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
	if (!Number.isFinite(n)) throw new DomainError('CP_INVALID_VALUE', `${field} must be a number, got '${String(value)}'`, { field });
	return n;
}

export interface RegisterLine {
	code?: string | null;
	name?: string | null;
	kind?: string | null;
	customer?: unknown;
	contract?: unknown;
	scope?: string | null;
	quantity?: unknown;
	serial_no?: string | null;
}

export interface RegisterFacts {
	customerExists: boolean;
	/** Id of another register line already using the code, if any. */
	codeTakenBy?: string | number | null;
	/** Customer of the linked contract: undefined = no contract linked, null = contract not found. */
	contractCustomer?: string | number | null;
}

/** Static rules of one register line, on create and on the merged row of an edit. */
export function registerFailures(line: RegisterLine, facts: RegisterFacts): GuardFailure[] {
	const failures: GuardFailure[] = [];
	const missing = (['code', 'name', 'kind', 'customer', 'scope'] as const).filter((f) => {
		const v = line[f];
		return v === undefined || v === null || (typeof v === 'string' && isBlank(v));
	});
	if (missing.length) {
		failures.push({
			code: 'CP_REQUIRED_FIELDS_MISSING',
			message: `required: ${missing.join(', ')}${missing.includes('scope') ? ' (PR-2: the agreed scope and responsibilities)' : ''}`,
			field: missing[0],
		});
	}
	const kind = line.kind ?? null;
	if (kind !== null && !(PROPERTY_KINDS as readonly string[]).includes(kind)) {
		failures.push({ code: 'CP_INVALID_VALUE', message: `kind '${kind}' is not one of ${PROPERTY_KINDS.join(', ')}`, field: 'kind' });
	}
	let quantity: number | null = null;
	try {
		quantity = parseQuantity(line.quantity);
	} catch (e) {
		failures.push({ code: 'CP_INVALID_VALUE', message: (e as Error).message, field: 'quantity' });
	}
	if (quantity !== null && quantity < 0) {
		failures.push({ code: 'CP_INVALID_VALUE', message: `quantity must be zero or positive, got ${quantity} (PR-8)`, field: 'quantity' });
	}
	if (kind !== null && (IDENTIFIED_KINDS as readonly string[]).includes(kind)) {
		if (quantity !== null && quantity !== 1) {
			failures.push({ code: 'CP_INVALID_VALUE', message: `a ${kind} is registered piece by piece: quantity must be 1, got ${quantity}`, field: 'quantity' });
		}
		if (isBlank(line.serial_no)) {
			failures.push({ code: 'CP_REQUIRED_FIELDS_MISSING', message: `a ${kind} is identified by its serial number: serial_no is required`, field: 'serial_no' });
		}
	}
	if (line.customer !== undefined && line.customer !== null && !facts.customerExists) {
		failures.push({ code: 'CP_INVALID_VALUE', message: `customer '${String(line.customer)}' does not exist`, field: 'customer' });
	}
	if (facts.contractCustomer === null) {
		failures.push({ code: 'CP_INVALID_VALUE', message: `contract '${String(line.contract)}' does not exist`, field: 'contract' });
	} else if (facts.contractCustomer !== undefined && line.customer != null && String(facts.contractCustomer) !== String(line.customer)) {
		failures.push({ code: 'CP_INVALID_VALUE', message: `contract '${String(line.contract)}' belongs to another customer (PR-2)`, field: 'contract' });
	}
	if (facts.codeTakenBy !== undefined && facts.codeTakenBy !== null) {
		failures.push({
			code: 'CP_DUPLICATE_CODE',
			message: `label code '${line.code}' is already used in the register (PR-4)`,
			field: 'code',
		});
	}
	// Bad input (400) before conflicts (409), so the caller fixes the form first.
	return failures.sort((a, b) => rank(a.code) - rank(b.code));
}

const rank = (code: string) => (code === 'CP_REQUIRED_FIELDS_MISSING' ? 0 : code === 'CP_INVALID_VALUE' ? 1 : 2);

/** PR-1, PR-2, PR-8: a new register line. It starts as expected; receipt is an event. */
export function assertRegistration(line: RegisterLine & { status?: string | null } & Record<string, unknown>, facts: RegisterFacts): void {
	if (line.status != null && line.status !== 'expected') {
		throw new DomainError(
			'CP_ILLEGAL_TRANSITION',
			`A register line starts as 'expected'; record a 'receipt' event to receive it (status '${line.status}' refused)`,
			{ field: 'status', details: { event: 'receipt' } },
		);
	}
	for (const field of Object.keys(EVENT_FIELDS)) {
		if (field !== 'status' && line[field] != null) {
			throw new DomainError('CP_EVENT_REQUIRED', `${field} is set by '${EVENT_FIELDS[field]}' events, not on registration`, { field });
		}
	}
	throwIfFailures('Customer property cannot be registered', registerFailures(line, facts));
}

const GUARD_EVENT: Readonly<Record<PropertyGuard, PropertyEventType>> = {
	receipt: 'receipt',
	accept_inspection: 'inspection',
	reject_inspection: 'inspection',
	issue: 'use',
	put_back: 'use',
	report_problem: 'problem',
	apply_disposition: 'disposition',
	end_of_contract: 'return',
};

/** The event that moves an item from `from` to `to` (throws CP_ILLEGAL_TRANSITION when none can). */
export function eventForTransition(from: string, to: string): PropertyEventType {
	return GUARD_EVENT[lookupTransition('Customer property', PROPERTY_TRANSITIONS, from, to)];
}

/** Dates come back as Date objects, 'YYYY-MM-DD' or timestamps depending on the database. */
const sameValue = (a: unknown, b: unknown): boolean => {
	if (a == null || b == null) return a == null && b == null;
	const text = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
	const [x, y] = [text(a), text(b)];
	if (x === y) return true;
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
	if (dateOnly.test(x) || dateOnly.test(y)) return x.slice(0, 10) === y.slice(0, 10);
	const [dx, dy] = [Date.parse(x), Date.parse(y)];
	return Number.isFinite(dx) && dx === dy;
};

/**
 * A direct edit of a register line: status and the event-kept fields only
 * change through events (X-2: every state change has its event record);
 * the rest of the line stays editable under the register rules.
 */
export function assertRegisterEdit(
	current: RegisterLine & { status: PropertyStatus; location?: string | null } & Record<string, unknown>,
	patch: Record<string, unknown>,
	facts: RegisterFacts,
	editor: Pick<Viewer, 'isAdmin' | 'system'> = { isAdmin: false, system: false },
): void {
	assertKindKept(editor, current.kind, patch.kind);
	if ('status' in patch && patch.status !== current.status) {
		const to = String(patch.status);
		const event = eventForTransition(current.status, to);
		throw new DomainError(
			'CP_ILLEGAL_TRANSITION',
			`Status changes only through property events: record a '${event}' event to move ${current.code ?? 'the item'} from '${current.status}' to '${to}'`,
			{ field: 'status', details: { from: current.status, to, event } },
		);
	}
	for (const field of Object.keys(EVENT_FIELDS)) {
		if (field !== 'status' && field in patch && !sameValue(patch[field], current[field])) {
			throw new DomainError('CP_EVENT_REQUIRED', `${field} is kept by '${EVENT_FIELDS[field]}' events and cannot be edited`, {
				field,
				details: { event: EVENT_FIELDS[field] },
			});
		}
	}
	if ('location' in patch && current.status !== 'expected' && (patch.location ?? '') !== (current.location ?? '')) {
		throw new DomainError(
			'CP_EVENT_REQUIRED',
			`Record a 'movement' event to move ${current.code ?? 'the item'}: it keeps who moved it, when, from where and to where (PR-4)`,
			{
				field: 'location',
				details: { event: 'movement' },
			},
		);
	}
	throwIfFailures(`Customer property ${current.code ?? ''} cannot be changed`.replace('  ', ' '), registerFailures({ ...current, ...patch }, facts));
}
