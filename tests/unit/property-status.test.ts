import { describe, it, expect } from 'vitest';
import {
	PROPERTY_EVENT_TYPES,
	PROPERTY_KINDS,
	PROPERTY_STATUSES,
	assertEventAllowed,
	assertPropertyTransition,
	isPhysical,
	type PropertyFacts,
	type PropertyKind,
	type PropertyStatus,
} from '../../extensions/customer-processes/src/domain/property/property-status';
import { DomainError } from '../../extensions/customer-processes/src/domain/errors';
import { catchError } from './catch-error';

const ALLOWED: Record<string, [string, PropertyFacts]> = {
	'expected>received': ['receipt', {}],
	'received>in_store': ['accept_inspection', { inspectionResult: 'accepted' }],
	'received>returned': ['reject_inspection', { inspectionResult: 'rejected' }],
	'received>blocked': ['report_problem', { problemOpen: true }],
	'in_store>in_use': ['issue', {}],
	'in_store>blocked': ['report_problem', { problemOpen: true }],
	'in_store>returned': ['end_of_contract', { customerAcknowledged: true }],
	'in_store>disposed': ['end_of_contract', { customerAcknowledged: true }],
	'in_use>in_store': ['put_back', {}],
	'in_use>blocked': ['report_problem', { problemOpen: true }],
	'in_use>returned': ['end_of_contract', { customerAcknowledged: true }],
	'in_use>disposed': ['end_of_contract', { customerAcknowledged: true }],
	'blocked>in_store': ['apply_disposition', { dispositionRecorded: true }],
	'blocked>in_use': ['apply_disposition', { dispositionRecorded: true }],
	'blocked>returned': ['apply_disposition', { dispositionRecorded: true }],
	'blocked>disposed': ['apply_disposition', { dispositionRecorded: true }],
};

const ALL_FACTS: PropertyFacts = { problemOpen: true, dispositionRecorded: true, customerAcknowledged: true, inspectionResult: 'accepted' };

describe('customer property transition table (PR-3, PR-6)', () => {
	for (const from of PROPERTY_STATUSES) {
		for (const to of PROPERTY_STATUSES) {
			const entry = ALLOWED[`${from}>${to}`];
			if (entry) {
				const [guard, facts] = entry;
				it(`allows ${from} -> ${to} via ${guard}`, () => {
					expect(assertPropertyTransition(from, to, facts)).toBe(guard);
				});
				if (Object.keys(facts).length > 0) {
					it(`refuses ${from} -> ${to} without its facts`, () => {
						expect(() => assertPropertyTransition(from, to, {})).toThrowError(DomainError);
					});
				}
			} else {
				it(`refuses ${from} -> ${to}`, () => {
					expect(catchError(() => assertPropertyTransition(from, to, ALL_FACTS)).code).toBe('CP_ILLEGAL_TRANSITION');
				});
			}
		}
	}

	it('PR-3 an item is stored only after incoming inspection accepted it', () => {
		const e = catchError(() => assertPropertyTransition('received', 'in_store', { inspectionResult: 'rejected' }));
		expect(e.code).toBe('CP_INSPECTION_REQUIRED');
		expect(e.message).toBe("Customer property cannot move from 'received' to 'in_store': incoming inspection has not accepted the item (PR-3)");
	});

	it('PR-6 a blocked item leaves quarantine only after the customer disposition', () => {
		const e = catchError(() => assertPropertyTransition('blocked', 'in_use', {}));
		expect(e.code).toBe('CP_PROPERTY_BLOCKED');
		expect(e.status).toBe(409);
		expect(e.message).toBe("Customer property is blocked: the customer's disposition is not recorded yet (PR-6)");
	});

	it('PR-2 return at contract end needs the customer acknowledgement', () => {
		expect(catchError(() => assertPropertyTransition('in_use', 'returned', {})).code).toBe('CP_CUSTOMER_ACK_REQUIRED');
	});
});

describe('customer property events', () => {
	// Which events each status accepts with permissive facts (toQuarantine, open problem, disposition recorded).
	const EXPECTED: Record<PropertyStatus, string[]> = {
		expected: ['receipt'],
		received: ['inspection', 'check', 'movement', 'problem', 'return'],
		in_store: ['check', 'movement', 'use', 'problem', 'return'],
		in_use: ['check', 'movement', 'use', 'problem', 'return'],
		blocked: ['check', 'movement', 'problem', 'disposition', 'return'],
		returned: [],
		disposed: [],
	};
	const permissive = { quantity: 1, toQuarantine: true, problemOpen: true, dispositionRecorded: true };

	for (const status of PROPERTY_STATUSES) {
		it(`PR event matrix for ${status}`, () => {
			const ok = PROPERTY_EVENT_TYPES.filter((t) => {
				try {
					assertEventAllowed(status, t, permissive);
					return true;
				} catch (e) {
					if (!(e instanceof DomainError)) throw e;
					return false;
				}
			});
			expect(ok).toEqual(EXPECTED[status]);
		});
	}

	it('PR-5 a check on a returned item is refused', () => {
		const e = catchError(() => assertEventAllowed('returned', 'check'));
		expect(e.code).toBe('CP_EVENT_NOT_ALLOWED');
		expect(e.message).toBe("Event 'check' cannot be recorded for customer property in status 'returned'");
	});

	it('PR-6 a blocked item may only move to quarantine', () => {
		const e = catchError(() => assertEventAllowed('blocked', 'movement', { toQuarantine: false }));
		expect(e.code).toBe('CP_PROPERTY_BLOCKED');
		expect(e.field).toBe('location');
		expect(() => assertEventAllowed('blocked', 'movement', { toQuarantine: true })).not.toThrow();
	});

	it('PR-6 use of a blocked item is stopped', () => {
		expect(catchError(() => assertEventAllowed('blocked', 'use')).code).toBe('CP_PROPERTY_BLOCKED');
	});

	it('PR-6 a blocked item is returned only after the disposition', () => {
		expect(catchError(() => assertEventAllowed('blocked', 'return', { dispositionRecorded: false })).code).toBe('CP_PROPERTY_BLOCKED');
	});

	it('PR-6 a disposition without an open problem is refused', () => {
		expect(catchError(() => assertEventAllowed('blocked', 'disposition', { problemOpen: false })).code).toBe('CP_NO_OPEN_PROBLEM');
		expect(catchError(() => assertEventAllowed('in_store', 'disposition')).code).toBe('CP_NO_OPEN_PROBLEM');
	});

	it('PR-8 a negative quantity is refused', () => {
		const e = catchError(() => assertEventAllowed('expected', 'receipt', { quantity: -3 }));
		expect(e.code).toBe('CP_INVALID_VALUE');
		expect(e.field).toBe('quantity');
		expect(catchError(() => assertEventAllowed('expected', 'receipt', { quantity: Number.NaN })).code).toBe('CP_INVALID_VALUE');
	});

	it('PR-4 intangible property has no location to move', () => {
		expect(catchError(() => assertEventAllowed('in_store', 'movement', { kind: 'personal_data' })).code).toBe('CP_EVENT_NOT_ALLOWED');
		expect(() => assertEventAllowed('in_store', 'movement', { kind: 'tooling' })).not.toThrow();
	});

	it('rejects unknown statuses and events', () => {
		expect(catchError(() => assertEventAllowed('lost' as PropertyStatus, 'check')).code).toBe('CP_INVALID_VALUE');
		expect(catchError(() => assertEventAllowed('in_store', 'audit' as 'check')).code).toBe('CP_INVALID_VALUE');
	});
});

describe('PR-1 property kinds', () => {
	it('PR-1 physical vs intangible', () => {
		expect(PROPERTY_KINDS.filter((k) => isPhysical(k))).toEqual(['material', 'part', 'equipment', 'tooling', 'gauge', 'sample', 'data_media']);
		expect(PROPERTY_KINDS.filter((k) => !isPhysical(k))).toEqual(['drawing', 'specification', 'intellectual_property', 'personal_data']);
		expect(() => isPhysical('car' as PropertyKind)).toThrowError(DomainError);
	});
});
