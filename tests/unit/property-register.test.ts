import { describe, expect, it } from 'vitest';
import {
	assertRegisterEdit,
	assertRegistration,
	canSeeKind,
	eventForTransition,
	hiddenKinds,
} from '../../extensions/customer-processes/src/domain/property/register';
import { catchError as caught } from './catch-error';

const good = { code: 'CP-M-0001', name: '模切版', kind: 'tooling', customer: 'c1', scope: 'keep and maintain', quantity: 1, serial_no: 'MQ-1' };
const facts = { customerExists: true, codeTakenBy: null };

describe('register line (PR-1, PR-2, PR-8)', () => {
	it('accepts a complete line', () => {
		expect(() => assertRegistration(good, facts)).not.toThrow();
		expect(() => assertRegistration({ ...good, kind: 'material', quantity: '250.50', serial_no: null }, facts)).not.toThrow();
	});

	it('PR-8: refuses a negative or non-numeric quantity', () => {
		const e = caught(() => assertRegistration({ ...good, kind: 'material', quantity: -1 }, facts));
		expect(e.code).toBe('CP_INVALID_VALUE');
		expect(e.field).toBe('quantity');
		expect(caught(() => assertRegistration({ ...good, kind: 'material', quantity: 'ten' }, facts)).field).toBe('quantity');
	});

	it('PR-1: serial-numbered kinds are one piece with a serial number', () => {
		expect(caught(() => assertRegistration({ ...good, quantity: 3 }, facts)).message).toContain('quantity must be 1');
		const e = caught(() => assertRegistration({ ...good, kind: 'gauge', serial_no: ' ' }, facts));
		expect(e.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(e.field).toBe('serial_no');
	});

	it('names every missing field, scope with PR-2', () => {
		const e = caught(() => assertRegistration({ kind: 'material' }, facts));
		expect(e.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(e.message).toContain('code, name, customer, scope');
		expect(e.message).toContain('PR-2');
	});

	it('refuses unknown customers, kinds, foreign contracts and taken codes', () => {
		expect(caught(() => assertRegistration(good, { customerExists: false })).field).toBe('customer');
		expect(caught(() => assertRegistration({ ...good, kind: 'ufo' }, facts)).field).toBe('kind');
		expect(caught(() => assertRegistration({ ...good, contract: 'k9' }, { ...facts, contractCustomer: 'c2' })).message).toContain('another customer');
		expect(caught(() => assertRegistration({ ...good, contract: 'k9' }, { ...facts, contractCustomer: null })).message).toContain('does not exist');
		expect(() => assertRegistration({ ...good, contract: 'k9' }, { ...facts, contractCustomer: 'c1' })).not.toThrow();
		const dup = caught(() => assertRegistration(good, { ...facts, codeTakenBy: 'x' }));
		expect(dup.code).toBe('CP_DUPLICATE_CODE');
		expect(dup.status).toBe(409);
	});

	it('starts as expected: other statuses and event-kept fields are refused', () => {
		const e = caught(() => assertRegistration({ ...good, status: 'in_store' }, facts));
		expect(e.code).toBe('CP_ILLEGAL_TRANSITION');
		expect(e.message).toContain("'receipt' event");
		expect(caught(() => assertRegistration({ ...good, next_check_due: '2026-01-01' }, facts)).code).toBe('CP_EVENT_REQUIRED');
	});
});

describe('register edits', () => {
	const current = { ...good, status: 'in_store' as const, location: 'A-01', next_check_due: '2026-12-01' };

	it('refuses status changes and names the event that makes them', () => {
		const e = caught(() => assertRegisterEdit(current, { status: 'in_use' }, facts));
		expect(e.code).toBe('CP_ILLEGAL_TRANSITION');
		expect(e.message).toContain("'use' event");
		expect(caught(() => assertRegisterEdit(current, { status: 'expected' }, facts)).message).toContain("allowed from 'in_store'");
		expect(() => assertRegisterEdit(current, { status: 'in_store', scope: 'new' }, facts)).not.toThrow();
	});

	it('keeps check dates and, after receipt, the location to events', () => {
		expect(caught(() => assertRegisterEdit(current, { next_check_due: '2027-01-01' }, facts)).details).toEqual({ event: 'check' });
		expect(() => assertRegisterEdit(current, { next_check_due: '2026-12-01' }, facts)).not.toThrow();
		expect(caught(() => assertRegisterEdit(current, { location: 'B-02' }, facts)).details).toEqual({ event: 'movement' });
		expect(() => assertRegisterEdit({ ...current, status: 'expected' }, { location: 'B-02' }, facts)).not.toThrow();
	});

	it('applies the register rules to the edited line', () => {
		expect(caught(() => assertRegisterEdit(current, { quantity: 2 }, facts)).field).toBe('quantity');
		expect(caught(() => assertRegisterEdit(current, { scope: '' }, facts)).field).toBe('scope');
	});

	it('maps transitions to events', () => {
		expect(eventForTransition('received', 'returned')).toBe('inspection');
		expect(eventForTransition('blocked', 'disposed')).toBe('disposition');
		expect(eventForTransition('in_use', 'returned')).toBe('return');
		expect(caught(() => eventForTransition('returned', 'in_store')).code).toBe('CP_ILLEGAL_TRANSITION');
	});
});

describe('who sees personal data and IP (PR-1)', () => {
	const as = (departments: string[], isAdmin = false) => ({ departments, isAdmin, system: false });
	it('shows them to Sales, Quality and admins only', () => {
		expect(canSeeKind(as(['sales']), 'personal_data')).toBe(true);
		expect(canSeeKind(as(['quality']), 'intellectual_property')).toBe(true);
		expect(canSeeKind(as([], true), 'personal_data')).toBe(true);
		expect(canSeeKind(as(['warehouse']), 'personal_data')).toBe(false);
		expect(canSeeKind(as(['warehouse']), 'tooling')).toBe(true);
		expect(hiddenKinds(as(['production']))).toEqual(['personal_data', 'intellectual_property']);
		expect(hiddenKinds(as(['production', 'sales']))).toEqual([]);
	});
});
