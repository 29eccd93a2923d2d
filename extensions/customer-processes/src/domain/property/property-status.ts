/**
 * Customer property (PR-1..PR-8): register item lifecycle and the events
 * recorded against it (receipt, inspection, periodic check, movement, use,
 * problem report, customer disposition, return).
 */
import { DomainError, type GuardFailure, lookupTransition, throwIfFailures, type TransitionTable } from '../errors';
import { CATALOGUE, values } from '../catalogue';

export const PROPERTY_STATUSES = values(CATALOGUE.cp_property.status);
export type PropertyStatus = (typeof PROPERTY_STATUSES)[number];

export const PROPERTY_KINDS = values(CATALOGUE.cp_property.kind);
export type PropertyKind = (typeof PROPERTY_KINDS)[number];

/**
 * Physical items have a quantity and a storage location (PR-4, PR-8).
 * Samples and data media (discs) are objects on a shelf; drawings,
 * specifications, IP and personal data are information, tracked by access.
 */
const PHYSICAL_KINDS: readonly PropertyKind[] = ['material', 'part', 'equipment', 'tooling', 'gauge', 'sample', 'data_media'];

export function isPhysical(kind: PropertyKind): boolean {
	if (!(PROPERTY_KINDS as readonly string[]).includes(kind)) {
		throw new DomainError('CP_INVALID_VALUE', `Unknown property kind '${kind}'`, { field: 'kind' });
	}
	return PHYSICAL_KINDS.includes(kind);
}

export type PropertyGuard =
	'receipt' | 'accept_inspection' | 'reject_inspection' | 'issue' | 'put_back' | 'report_problem' | 'apply_disposition' | 'end_of_contract';

export const PROPERTY_TRANSITIONS = {
	expected: { received: 'receipt' },
	// PR-3: accepted goes to store; rejected goes back to the customer (feedback via Sales).
	received: { in_store: 'accept_inspection', returned: 'reject_inspection', blocked: 'report_problem' },
	in_store: { in_use: 'issue', blocked: 'report_problem', returned: 'end_of_contract', disposed: 'end_of_contract' },
	in_use: { in_store: 'put_back', blocked: 'report_problem', returned: 'end_of_contract', disposed: 'end_of_contract' },
	// PR-6: a blocked item only leaves quarantine as the customer decided.
	blocked: { in_store: 'apply_disposition', in_use: 'apply_disposition', returned: 'apply_disposition', disposed: 'apply_disposition' },
	returned: {},
	disposed: {},
} as const satisfies TransitionTable<PropertyStatus, PropertyGuard>;

export interface PropertyFacts {
	inspectionResult?: 'accepted' | 'rejected' | null | undefined;
	/** A problem report is open (PR-6). */
	problemOpen?: boolean | undefined;
	/** The customer's disposition for the open problem is recorded (PR-6). */
	dispositionRecorded?: boolean | undefined;
	/** The customer acknowledged the return/disposal at contract end. */
	customerAcknowledged?: boolean | undefined;
}

const GUARDS: Record<PropertyGuard, (f: PropertyFacts) => GuardFailure[]> = {
	receipt: () => [],
	accept_inspection: (f) =>
		f.inspectionResult === 'accepted'
			? []
			: [{ code: 'CP_INSPECTION_REQUIRED', message: 'incoming inspection has not accepted the item (PR-3)', field: 'inspection' }],
	reject_inspection: (f) =>
		f.inspectionResult === 'rejected'
			? []
			: [{ code: 'CP_INSPECTION_REQUIRED', message: 'only an item rejected at incoming inspection is sent back now (PR-3)', field: 'inspection' }],
	issue: () => [],
	put_back: () => [],
	report_problem: (f) => (f.problemOpen ? [] : [{ code: 'CP_NO_OPEN_PROBLEM', message: 'blocking needs a problem report (PR-6)', field: 'problem' }]),
	apply_disposition: (f) =>
		f.dispositionRecorded ? [] : [{ code: 'CP_DISPOSITION_REQUIRED', message: "the customer's disposition is not recorded yet (PR-6)", field: 'disposition' }],
	end_of_contract: (f) =>
		f.customerAcknowledged
			? []
			: [{ code: 'CP_CUSTOMER_ACK_REQUIRED', message: 'the customer has not acknowledged the return/disposal (PR-2)', field: 'customer_acknowledged' }],
};

export function assertPropertyTransition(from: PropertyStatus, to: PropertyStatus, facts: PropertyFacts = {}): PropertyGuard {
	const guard: PropertyGuard = lookupTransition('Customer property', PROPERTY_TRANSITIONS, from, to);
	const failures = GUARDS[guard](facts);
	// Name the blocked state itself, so the UI can say why the item is stuck.
	if (from === 'blocked' && failures.length > 0) {
		throw new DomainError('CP_PROPERTY_BLOCKED', `Customer property is blocked: ${failures.map((f) => f.message).join('; ')}`, {
			field: 'disposition',
			details: { from, to, guard, failures },
		});
	}
	throwIfFailures(`Customer property cannot move from '${from}' to '${to}'`, failures, { from, to, guard });
	return guard;
}

export const PROPERTY_EVENT_TYPES = values(CATALOGUE.cp_property_events.type);
export type PropertyEventType = (typeof PROPERTY_EVENT_TYPES)[number];

/** Statuses in which each event may be recorded (blocked is special-cased below). */
export const EVENT_ALLOWED_IN: Readonly<Record<PropertyEventType, readonly PropertyStatus[]>> = {
	receipt: ['expected'],
	inspection: ['received'],
	// PR-5: we check what we hold; a returned or disposed item is no longer ours to check.
	check: ['received', 'in_store', 'in_use', 'blocked'],
	movement: ['received', 'in_store', 'in_use', 'blocked'],
	use: ['in_store', 'in_use'],
	problem: ['received', 'in_store', 'in_use', 'blocked'],
	disposition: ['blocked'],
	return: ['received', 'in_store', 'in_use', 'blocked'],
};

export interface PropertyEventFacts {
	kind?: PropertyKind | undefined;
	quantity?: number | null | undefined;
	/** Movement target is a quarantine (isolation) location. */
	toQuarantine?: boolean | undefined;
	problemOpen?: boolean | undefined;
	dispositionRecorded?: boolean | undefined;
}

/** Checks that an event may be recorded against an item in `status`. */
export function assertEventAllowed(status: PropertyStatus, eventType: PropertyEventType, facts: PropertyEventFacts = {}): void {
	if (!(PROPERTY_EVENT_TYPES as readonly string[]).includes(eventType)) {
		throw new DomainError('CP_INVALID_VALUE', `Unknown property event '${eventType}'`, { field: 'event_type' });
	}
	if (!(PROPERTY_STATUSES as readonly string[]).includes(status)) {
		throw new DomainError('CP_INVALID_VALUE', `Unknown customer property status '${status}'`, { field: 'status' });
	}
	if (facts.quantity !== undefined && facts.quantity !== null && !(Number.isFinite(facts.quantity) && facts.quantity >= 0)) {
		throw new DomainError('CP_INVALID_VALUE', `Quantity must be zero or positive, got ${facts.quantity} (PR-8)`, { field: 'quantity' });
	}
	if (eventType === 'movement' && facts.kind !== undefined && !isPhysical(facts.kind)) {
		throw new DomainError('CP_EVENT_NOT_ALLOWED', `A ${facts.kind} has no storage location to move (PR-4)`, { field: 'event_type' });
	}
	if (eventType === 'disposition' && !facts.problemOpen) {
		throw new DomainError('CP_NO_OPEN_PROBLEM', 'A disposition needs an open problem report (PR-6)', { field: 'problem' });
	}
	if (status === 'blocked') {
		// PR-6: stop use and isolate; the only movement is into quarantine.
		if (eventType === 'use') {
			throw new DomainError('CP_PROPERTY_BLOCKED', 'Customer property is blocked: use is stopped until the customer decides (PR-6)', {
				field: 'event_type',
			});
		}
		if (eventType === 'movement' && !facts.toQuarantine) {
			throw new DomainError('CP_PROPERTY_BLOCKED', 'Customer property is blocked: it may only be moved to a quarantine location (PR-6)', {
				field: 'location',
			});
		}
		if (eventType === 'return' && !facts.dispositionRecorded) {
			throw new DomainError('CP_PROPERTY_BLOCKED', "Customer property is blocked: return only after the customer's disposition is recorded (PR-6)", {
				field: 'disposition',
			});
		}
	}
	if (!EVENT_ALLOWED_IN[eventType].includes(status)) {
		throw new DomainError('CP_EVENT_NOT_ALLOWED', `Event '${eventType}' cannot be recorded for customer property in status '${status}'`, {
			field: 'event_type',
			details: { status, eventType, allowedIn: EVENT_ALLOWED_IN[eventType] },
		});
	}
}
