// CR-8 / CR-11: new or old customer from the customer's history, overridable by Sales with a reason.
import { describe, expect, it } from 'vitest';
import { decideNewCustomer, isSignedStatus, overrideReasonMissing } from '../../extensions/customer-processes/src/domain/contract-review/customer-history';
import { decideRoute, type ContractLine, type RouteInput } from '../../extensions/customer-processes/src/domain/contract-review/routes';

// Worked example: a carton customer places a contract, then repeats the same carton with a new quantity.
const carton: ContractLine = { product: 'Carton A', specification: '600x400x300', material: 'K=K 5-ply', marks: 'ACME', process: 'flexo', quantity: 1000 };
const repeat: ContractLine = { ...carton, quantity: 5000 };

const route = (customerIsNew: boolean, lines: ContractLine[], previous: ContractLine[]) =>
	decideRoute({ kind: 'contract', class: 'regular', major: false, customerIsNew, lines, previousReviewedLines: previous } satisfies RouteInput).route;

describe('CR-8 new or old customer from its history', () => {
	it('CR-8 worked example: new until the first signed contract; then a repeat order is confirmed; Sales marks it new again with a reason', () => {
		// 1. No signed contract yet: a new customer, its first contract takes the full (regular) route.
		const first = decideNewCustomer({ signedContracts: 0, override: { is_new: null } });
		expect(first).toMatchObject({ isNew: true, basis: 'history' });
		expect(route(first.isNew, [carton], [])).toBe('regular');

		// 2. That contract is signed: an old customer; the same carton with only a new quantity is confirmed.
		const second = decideNewCustomer({ signedContracts: 1, override: { is_new: null } });
		expect(second).toMatchObject({ isNew: false, basis: 'history' });
		expect(route(second.isNew, [repeat], [carton])).toBe('confirmation');

		// 3. Sales marks it new again, with the reason: the next order takes the full route again.
		const third = decideNewCustomer({ signedContracts: 1, override: { is_new: true, reason: 'Ownership changed, new purchasing team' } });
		expect(third).toEqual({ isNew: true, basis: 'override', reason: 'Ownership changed, new purchasing team' });
		expect(route(third.isNew, [repeat], [carton])).toBe('regular');
	});

	it('CR-8 Sales may record a customer known from before the system as old, without any signed contract here', () => {
		expect(decideNewCustomer({ signedContracts: 0, override: { is_new: false, reason: 'Customer since 2015 (paper records)' } })).toMatchObject({
			isNew: false,
			basis: 'override',
		});
		expect(decideNewCustomer({ signedContracts: 0 }).isNew).toBe(true);
		expect(decideNewCustomer({ signedContracts: 3, override: null }).isNew).toBe(false);
	});

	it('CR-8/CR-11 signed, in production and completed contracts count as signed; drafts, reviews, cancelled ones do not', () => {
		for (const s of ['signed', 'in_production', 'completed']) expect(isSignedStatus(s), s).toBe(true);
		for (const s of ['draft', 'in_review', 'reviewed', 'cancelled', null]) expect(isSignedStatus(s), String(s)).toBe(false);
	});

	it('CR-8 a change of New customer needs its reason in the same request; clearing it back to the history does not', () => {
		const derived = { is_new: null };
		expect(overrideReasonMissing(derived, { is_new: true })).toBe(true);
		expect(overrideReasonMissing(derived, { is_new: true, is_new_reason: '   ' })).toBe(true);
		expect(overrideReasonMissing(derived, { is_new: true, is_new_reason: 'New purchasing team' })).toBe(false);
		expect(overrideReasonMissing({ is_new: false }, { is_new: 'true' })).toBe(true);
		// Resending the stored value is not a change; clearing the override needs no reason.
		expect(overrideReasonMissing({ is_new: 1 }, { is_new: true })).toBe(false);
		expect(overrideReasonMissing({ is_new: true }, { is_new: null })).toBe(false);
		// Entering a customer with its status is not a change of it.
		expect(overrideReasonMissing(null, { is_new: false })).toBe(false);
		expect(overrideReasonMissing(derived, { name: 'Renamed' })).toBe(false);
	});
});
