// CR-8 / CR-11: a customer is new until its first signed contract (derived from its history, not a
// flag to remember); Sales may override it, with the reason. Real contracts, signed through the review.
import { describe, expect, it } from 'vitest';
import { http, ok, uid } from '../harness/client';
import { LINE, reviewAll, signContract } from '../harness/fixtures';
import { UPDATE_PATHS, updateVia } from '../harness/paths';

// A customer entered without a new/old status: derived from its history.
const newCustomer = () => ok('sales', 'POST', '/items/cp_customers', { code: uid('CH'), name: `History customer ${uid('n')}` });

async function contract(customer: string, fields: Record<string, unknown>, lines: Record<string, unknown>[] = [LINE]) {
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('HT'),
		title: 'History contract',
		customer,
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		...fields,
	});
	for (const [i, l] of lines.entries()) await ok('sales', 'POST', '/items/cp_contract_lines', { ...l, line_no: i + 1, contract: c.id });
	return c;
}

const get = (id: string) => ok('admin', 'GET', `/items/cp_contracts/${id}`);
const setStatus = (id: string, status: string) => http('sales', 'PATCH', `/items/cp_contracts/${id}`, { status });

async function submit(id: string) {
	const r = await setStatus(id, 'in_review');
	expect(r.status, r.message).toBe(200);
	return get(id);
}

async function signAll(id: string) {
	const c = await get(id);
	expect(c.status).toBe('in_review');
	// Every line approved with its checklist, then the sales manager's conclusion where the route has one (CR-3, CR-6).
	await reviewAll(id);
	expect((await get(id)).status).toBe('reviewed');
}

// The same carton with only a new quantity and delivery date: a repeat order (CR-8).
const REPEAT = { ...LINE, quantity: 5000, delivery_date: '2027-03-01' };

describe('CR-8 new or old customer from its history', () => {
	it('CR-8 worked example: new until its first signed contract, then a repeat order is confirmed; Sales marks it new again with a reason', async () => {
		const cust = await newCustomer();
		expect(cust.is_new).toBeNull();

		// 1. No signed contract: a new customer; its first contract takes the full review.
		const first = await contract(cust.id, {});
		expect((await submit(first.id)).review_route).toBe('regular');
		// While the first contract is only reviewed, an order of the same carton still takes the full review.
		await signAll(first.id);
		const early = await contract(cust.id, { kind: 'order' }, [REPEAT]);
		expect((await submit(early.id)).review_route).toBe('regular');
		expect((await signContract(first.id)).status).toBe(200);

		// 2. After the first signed contract: an old customer; the repeat order takes the confirmation route.
		const repeat = await contract(cust.id, { kind: 'order' }, [REPEAT]);
		const confirmed = await submit(repeat.id);
		expect(confirmed.review_route).toBe('confirmation');

		// 3. Sales marks it new again; without the reason it is refused and nothing changes.
		const bare = await http('sales', 'PATCH', `/items/cp_customers/${cust.id}`, { is_new: true });
		expect(bare.status).toBe(400);
		expect(bare.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		// Sales works in zh-CN: the field by its label.
		expect(bare.message).toMatch(/新老顾客改判原因/);
		expect((await ok('admin', 'GET', `/items/cp_customers/${cust.id}`)).is_new).toBeNull();
		await ok('sales', 'PATCH', `/items/cp_customers/${cust.id}`, { is_new: true, is_new_reason: 'Taken over by a new group; new purchasing team' });
		const again = await contract(cust.id, { kind: 'order' }, [REPEAT]);
		expect((await submit(again.id)).review_route).toBe('regular');

		// Sales clears the override: derived from the history again, old.
		await ok('sales', 'PATCH', `/items/cp_customers/${cust.id}`, { is_new: null, is_new_reason: null });
		const fourth = await contract(cust.id, { kind: 'order' }, [REPEAT]);
		expect((await submit(fourth.id)).review_route).toBe('confirmation');
	});

	it("CR-11 a new customer's oral order cannot be signed; after its first signed contract a confirmed oral order counts as signed", async () => {
		const cust = await newCustomer();
		const oral = (c: string) =>
			contract(c, {
				kind: 'order',
				channel: 'oral',
				class: 'regular_in_stock',
				confirmation_record: 'Mr Li called 10:15, 5000 boxes',
				customer_confirmed_at: new Date().toISOString(),
				customer_confirmation_method: 'fax',
			});
		const before = await oral(cust.id);
		await submit(before.id);
		await signAll(before.id);
		expect((await signContract(before.id)).code).toBe('CP_FORMAL_CONTRACT_REQUIRED');
		expect((await get(before.id)).status).toBe('reviewed');

		const formal = await contract(cust.id, {});
		await submit(formal.id);
		await signAll(formal.id);
		expect((await signContract(formal.id)).status).toBe(200);

		// The same oral order, signed now that the customer is old.
		expect((await signContract(before.id)).status).toBe(200);
	});
});

describe("CR-8 the override of New customer is Sales's and carries its reason, on every write path", () => {
	for (const path of UPDATE_PATHS) {
		it(`CR-8 ${path}: without a reason refused; another department refused; Sales with a reason accepted`, async () => {
			const cust = await newCustomer();
			const bare = await updateVia(path, 'sales', 'cp_customers', [cust.id], { is_new: true });
			expect(bare.ok, bare.message).toBe(false);
			expect(bare.code).toBe('CP_REQUIRED_FIELDS_MISSING');
			const other = await updateVia(path, 'technical', 'cp_customers', [cust.id], { is_new: true, is_new_reason: 'not theirs' });
			expect(other.ok).toBe(false);
			expect((await ok('admin', 'GET', `/items/cp_customers/${cust.id}`)).is_new).toBeNull();

			const r = await updateVia(path, 'sales', 'cp_customers', [cust.id], { is_new: false, is_new_reason: 'Customer since 2015, paper records' });
			expect(r.ok, r.message).toBe(true);
			const row = await ok('admin', 'GET', `/items/cp_customers/${cust.id}`);
			expect(row.is_new).toBe(false);
			expect(row.is_new_reason).toBe('Customer since 2015, paper records');
		});
	}
});
