// Contract review over HTTP as each department's user (CR-1..CR-17).
import { afterAll, describe, expect, it } from 'vitest';
import { database, http, ok, uid } from '../harness/client';
import { LINE, approval, signConclusion, signContract } from '../harness/fixtures';

async function customer(isNew = false) {
	return ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Customer ${uid('n')}`, is_new: isNew });
}

async function contract(fields: Record<string, unknown>, lines: Record<string, unknown>[] = [LINE]) {
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('HT'),
		title: 'Test contract',
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		...fields,
	});
	for (const [i, l] of lines.entries()) await ok('sales', 'POST', '/items/cp_contract_lines', { ...l, line_no: i + 1, contract: c.id });
	return c;
}

const submit = (id: string, who = 'sales') => http(who, 'PATCH', `/items/cp_contracts/${id}`, { status: 'in_review' });
const get = (id: string) => ok('admin', 'GET', `/items/cp_contracts/${id}`);

async function reviewLines(id: string) {
	const c = await get(id);
	const rows = await ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${id}&filter[round][_eq]=${c.review_round}&limit=-1`);
	return Object.fromEntries(rows.map((r: any) => [r.department, r]));
}

/** A department's approval confirms each aspect of its line's checklist with an opinion (CR-3, CR-4). */
async function sign(who: string, lineId: string, decision = 'approved', opinion = 'OK, can be met') {
	const line = await ok('admin', 'GET', `/items/cp_review_lines/${lineId}`);
	return http(who, 'PATCH', `/items/cp_review_lines/${lineId}`, decision === 'approved' ? approval(line, opinion) : { decision, opinion });
}

/** Every line signed, then (where the route has one) the sales manager's conclusion (CR-6). */
async function signAll(id: string, conclude = true) {
	for (const [dept, line] of Object.entries(await reviewLines(id))) {
		const r = await sign(dept, (line as any).id);
		expect(r.status, `${dept}: ${r.message}`).toBe(200);
	}
	const c = await get(id);
	if (conclude && c.status === 'in_review' && !['regular_in_stock', 'confirmation'].includes(String(c.review_route).split('+')[0]!)) {
		const r = await signConclusion(id);
		expect(r.status, r.message).toBe(200);
	}
}

const audit = (item: string, action?: string) => {
	const q = database()('cp_audit').where({ item: String(item) });
	return action ? q.where({ action }) : q;
};

describe('CR-7 routes, CR-4 sign-off, CR-6 completion, CR-11 signing, CR-13 task notice', () => {
	it('CR-7 regular contract: production, purchasing and sales review; wrong department refused; completes once; signing issues the task notice', async () => {
		const cust = await customer(false);
		const c = await contract({ customer: cust.id, class: 'regular' });
		// CR-2/CR-11: signing before review names what is missing.
		const early = await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'signed' });
		expect(early.status).toBe(409);
		expect(early.code).toBe('CP_REVIEW_INCOMPLETE');
		expect((await get(c.id)).status).toBe('draft');

		expect((await submit(c.id)).status).toBe(200);
		const after = await get(c.id);
		expect(after.status).toBe('in_review');
		expect(after.review_route).toBe('regular');
		expect(after.review_round).toBe(1);
		const lines = await reviewLines(c.id);
		expect(Object.keys(lines).sort()).toEqual(['production', 'purchasing', 'sales']);

		const notYet = await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'signed' });
		expect(notYet.code).toBe('CP_REVIEW_INCOMPLETE');
		// Named as the screens name the departments, never by their keys, in the user's language (Sales works in zh-CN).
		expect(notYet.message).toMatch(/生产部/);
		expect(notYet.message).toMatch(/采购部/);
		expect(notYet.message).not.toMatch(/CR-\d|\bproduction\b/);

		// CR-4: only a member of the department signs its line.
		const wrong = await sign('quality', lines.production.id);
		expect(wrong.status).toBe(403);
		expect(wrong.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect((await ok('admin', 'GET', `/items/cp_review_lines/${lines.production.id}`)).decision).toBe('pending');

		// Manual completion is not allowed (CR-6).
		const manual = await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'reviewed' });
		expect(manual.status).toBe(403);
		expect(manual.code).toBe('CP_SYSTEM_ONLY');

		await signAll(c.id, false);
		// CR-6: every line signed, the review waits for the sales manager's conclusion (Doc 2 4.3.1).
		expect((await get(c.id)).status).toBe('in_review');
		expect((await signConclusion(c.id)).status).toBe(200);
		const reviewed = await get(c.id);
		expect(reviewed.status).toBe('reviewed');
		expect(reviewed.reviewed_at).toBeTruthy();
		expect(reviewed.conclusion_signed_by).toBe((await ok('sales', 'GET', '/users/me')).id);
		expect(await audit(c.id, 'conclusion_signed')).toHaveLength(1);

		const signedLine = await ok('admin', 'GET', `/items/cp_review_lines/${lines.production.id}`);
		expect(signedLine.signed_by).toBeTruthy();
		expect(signedLine.signed_at).toBeTruthy();
		// A signed line cannot be re-signed.
		expect((await sign('production', lines.production.id, 'rejected', 'changed my mind')).code).toBe('CP_LINE_ALREADY_SIGNED');

		// CR-11: Sales does not sign for the company; the sales VP does (Doc 3 4.3.1).
		expect((await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'signed' })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect((await signContract(c.id)).status).toBe(200);
		const notices = await ok('admin', 'GET', `/items/cp_task_notices?filter[contract][_eq]=${c.id}&limit=-1`);
		expect(notices.map((n: any) => n.department).sort()).toEqual(['production', 'purchasing', 'quality', 'warehouse']);
		const prodNotice = notices.find((n: any) => n.department === 'production');
		expect((await http('warehouse', 'PATCH', `/items/cp_task_notices/${prodNotice.id}`, { acknowledged_at: new Date().toISOString() })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
		expect((await http('production', 'PATCH', `/items/cp_task_notices/${prodNotice.id}`, { acknowledged_at: '2000-01-01T00:00:00Z' })).status).toBe(200);
		const acked = await ok('admin', 'GET', `/items/cp_task_notices/${prodNotice.id}`);
		expect(acked.acknowledged_by).toBe((await ok('production', 'GET', '/users/me')).id);
		expect(new Date(acked.acknowledged_at).getFullYear()).toBeGreaterThan(2020); // stamped by the server
		expect((await http('production', 'PATCH', `/items/cp_task_notices/${prodNotice.id}`, { acknowledged_at: new Date().toISOString() })).code).toBe(
			'CP_ILLEGAL_TRANSITION',
		);
		// Unacknowledged notices stay visible in the receiving department's queue.
		const queue = await ok('warehouse', 'GET', '/cp/queue');
		expect(queue.find((q: any) => q.key === 'task_notices').count).toBeGreaterThanOrEqual(1);
		expect((await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_production' })).status).toBe(200);
	});

	it('CR-7 regular in stock: sales and warehouse confirm', async () => {
		const c = await contract({ customer: (await customer(false)).id, class: 'regular_in_stock' });
		await submit(c.id);
		expect(Object.keys(await reviewLines(c.id)).sort()).toEqual(['sales', 'warehouse']);
	});

	it('CR-7 special major contract: adds technical, quality, deputy GM and GM', async () => {
		const c = await contract({ customer: (await customer(false)).id, class: 'special', major: true });
		await submit(c.id);
		const got = await get(c.id);
		expect(got.review_route).toBe('special+major');
		expect(Object.keys(await reviewLines(c.id)).sort()).toEqual(['deputy_gm', 'gm', 'production', 'purchasing', 'quality', 'sales', 'technical']);
	});

	it('CR-7 routes are data: a company setting changes the departments of a route', async () => {
		const settings = await ok('admin', 'GET', '/items/cp_settings');
		await ok('admin', 'PATCH', '/items/cp_settings', { routes: { regular: ['production', 'finance', 'sales'] } });
		try {
			const c = await contract({ customer: (await customer(false)).id, class: 'regular' });
			await submit(c.id);
			expect(Object.keys(await reviewLines(c.id)).sort()).toEqual(['finance', 'production', 'sales']);
		} finally {
			await ok('admin', 'PATCH', '/items/cp_settings', { routes: settings.routes ?? null });
		}
	});

	it('CR-8 repeat order of a reviewed product with only quantity/date/price changed takes the confirmation route and says why', async () => {
		const cust = await customer(false);
		const first = await contract({ customer: cust.id });
		await submit(first.id);
		await signAll(first.id);
		const repeat = await contract({ customer: cust.id, kind: 'order' }, [{ ...LINE, quantity: 5000, unit_price: 9.5, delivery_date: '2027-03-01' }]);
		await submit(repeat.id);
		const got = await get(repeat.id);
		expect(got.review_route).toBe('confirmation');
		expect(got.route_reason).toMatch(/Corrugated box/);
		expect(Object.keys(await reviewLines(repeat.id)).sort()).toEqual(['production', 'sales']);
		// A changed specification is a new product: full review.
		const changed = await contract({ customer: cust.id }, [{ ...LINE, specification: '700x500x300' }]);
		await submit(changed.id);
		expect((await get(changed.id)).review_route).toBe('regular');
	});
});

describe('CR-10 oral orders, CR-11 formal contract, CR-9 tenders', () => {
	it('CR-10 an oral order cannot be signed until the customer confirmation is recorded', async () => {
		const c = await contract({
			customer: (await customer(false)).id,
			kind: 'order',
			channel: 'oral',
			class: 'regular_in_stock',
			confirmation_record: 'Mr Li called 10:15, 1000 boxes',
		});
		await submit(c.id);
		await signAll(c.id);
		const refused = await signContract(c.id);
		expect(refused.status).toBe(409);
		expect(refused.code).toBe('CP_ORAL_ORDER_UNCONFIRMED');
		expect((await get(c.id)).status).toBe('reviewed');
		await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { customer_confirmed_at: new Date().toISOString(), customer_confirmation_method: 'fax' });
		expect((await signContract(c.id)).status).toBe(200);
	});

	it('CR-10 a company that refuses oral orders cannot submit one', async () => {
		await ok('admin', 'PATCH', '/items/cp_settings', { refuse_oral_orders: true });
		try {
			const c = await contract({ customer: (await customer(false)).id, kind: 'order', channel: 'oral' });
			const r = await submit(c.id);
			expect(r.code).toBe('CP_ORAL_ORDERS_REFUSED');
			expect((await get(c.id)).status).toBe('draft');
		} finally {
			await ok('admin', 'PATCH', '/items/cp_settings', { refuse_oral_orders: false });
		}
	});

	it('CR-11 a new customer must sign a formal contract, not an order', async () => {
		const c = await contract({ customer: (await customer(true)).id, kind: 'order', class: 'regular_in_stock' });
		await submit(c.id);
		await signAll(c.id);
		const r = await signContract(c.id);
		expect(r.code).toBe('CP_FORMAL_CONTRACT_REQUIRED');
	});

	it('CR-9 a tender is reviewed twice: the decision to bid, then the bid document', async () => {
		const c = await contract({ customer: (await customer(false)).id, kind: 'bid', channel: 'tender', class: 'regular' });
		expect((await get(c.id)).stage).toBe('tender_decision');
		await submit(c.id);
		expect((await get(c.id)).review_route).toBe('tender_decision');
		expect(Object.keys(await reviewLines(c.id))).toEqual(['sales']);
		await signAll(c.id);
		expect((await get(c.id)).status).toBe('reviewed');
		await submit(c.id);
		const second = await get(c.id);
		expect(second.stage).toBe('bid_document');
		expect(second.review_round).toBe(2);
		expect(Object.keys(await reviewLines(c.id)).sort()).toEqual(['production', 'purchasing', 'sales']);
	});
});

describe('CR-5 discrepancies', () => {
	it('an open discrepancy blocks completion and signing until Sales resolves it with evidence and the raising department closes it', async () => {
		const c = await contract({ customer: (await customer(false)).id, class: 'regular' });
		await submit(c.id);
		const d = await ok('purchasing', 'POST', '/items/cp_discrepancies', {
			contract: c.id,
			clause: '§3 material',
			problem: 'Q890 steel lead time 12 weeks',
			suggestion: 'Ask customer to accept Q690 or later date',
		});
		expect(d.status).toBe('open');
		expect(d.raised_by_department).toBe('purchasing');
		// Raising in another department's name is refused.
		expect(
			(await http('production', 'POST', '/items/cp_discrepancies', { contract: c.id, clause: 'x', problem: 'y', raised_by_department: 'quality' })).code,
		).toBe('CP_NOT_DEPARTMENT_MEMBER');
		await signAll(c.id, false);
		expect((await get(c.id)).status).toBe('in_review');
		// CR-6: the conclusion is not signed while an item is open.
		expect((await signConclusion(c.id)).code).toBe('CP_OPEN_DISCREPANCIES');

		const noEvidence = await http('sales', 'PATCH', `/items/cp_discrepancies/${d.id}`, { status: 'resolved', resolution: 'Customer accepts Q690' });
		expect(noEvidence.code).toBe('CP_EVIDENCE_REQUIRED');
		expect((await http('production', 'PATCH', `/items/cp_discrepancies/${d.id}`, { status: 'resolved', resolution: 'x', customer_contact: 'y' })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
		expect(
			(
				await http('sales', 'PATCH', `/items/cp_discrepancies/${d.id}`, {
					status: 'resolved',
					resolution: 'Customer accepts Q690',
					customer_contact: 'Call with Mr Li 2026-11-20 14:00',
				})
			).status,
		).toBe(200);
		expect((await get(c.id)).status).toBe('in_review');
		// Only the raising department closes it.
		expect((await http('sales', 'PATCH', `/items/cp_discrepancies/${d.id}`, { status: 'closed' })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect((await http('purchasing', 'PATCH', `/items/cp_discrepancies/${d.id}`, { status: 'closed' })).status).toBe(200);
		expect((await get(c.id)).status).toBe('in_review');
		expect((await signConclusion(c.id)).status).toBe(200);
		expect((await get(c.id)).status).toBe('reviewed');
		expect((await signContract(c.id)).status).toBe(200);
	});

	it("a written clarification sends the raising department's line back for review", async () => {
		const c = await contract({ customer: (await customer(false)).id, class: 'regular' });
		await submit(c.id);
		const lines = await reviewLines(c.id);
		await sign('production', lines.production.id);
		const d = await ok('production', 'POST', '/items/cp_discrepancies', { contract: c.id, clause: 'delivery', problem: 'date unclear' });
		await ok('sales', 'PATCH', `/items/cp_discrepancies/${d.id}`, {
			status: 'resolved',
			resolution: 'Customer wrote: 2027-02-01',
			customer_contact: 'Letter 2026-11-21',
			customer_clarified_in_writing: true,
		});
		expect((await ok('admin', 'GET', `/items/cp_review_lines/${lines.production.id}`)).decision).toBe('pending');
	});
});

describe('CR-14 changes', () => {
	async function signedContract() {
		const c = await contract({ customer: (await customer(false)).id, class: 'regular' });
		await submit(c.id);
		await signAll(c.id);
		expect((await signContract(c.id)).status).toBe(200);
		return c;
	}
	const change = (contractId: string, kind: string, extra: Record<string, unknown> = {}) =>
		http('sales', 'POST', '/items/cp_changes', {
			contract: contractId,
			kind,
			description: `${kind} change`,
			customer_consent_at: new Date().toISOString(),
			...extra,
		});

	/** Approved by the GM, confirmed by the customer (recorded by Sales), signed by the market head (CR-14, Doc 1 4.6 b-c). */
	async function takeEffect(id: string) {
		for (const [who, data] of [
			['gm', { status: 'approved' }],
			[
				'sales',
				{
					status: 'confirmed',
					customer_confirmed_by: '李经理',
					customer_confirmed_at: new Date().toISOString(),
					customer_confirmation_method: 'email',
					confirmation_record: 'mail of today',
				},
			],
			['sales', { status: 'done' }],
		] as const) {
			const r = await http(who, 'PATCH', `/items/cp_changes/${id}`, data);
			expect(r.status, `${who} ${data.status}: ${r.message}`).toBe(200);
		}
	}

	it("CR-14 routes each kind of change to its consequence and needs the customer's written consent; a structure change is re-reviewed once approved", async () => {
		const c = await signedContract();
		const noConsent = await http('sales', 'POST', '/items/cp_changes', { contract: c.id, kind: 'quantity', description: '+500' });
		expect(noConsent.code).toBe('CP_CUSTOMER_CONSENT_REQUIRED');
		expect(await ok('admin', 'GET', `/items/cp_changes?filter[contract][_eq]=${c.id}`)).toHaveLength(0);

		const expected: Record<string, string> = {
			quantity: 'new_work_order',
			delivery_date: 'new_work_order',
			price: 'new_quotation',
			process: 'product_change_notice',
		};
		for (const [kind, consequence] of Object.entries(expected)) {
			const r = await change(c.id, kind);
			expect(r.status, r.message).toBe(200);
			expect(r.data.consequence).toBe(consequence);
			expect(r.data.status).toBe('requested');
		}
		expect((await get(c.id)).status).toBe('signed');

		const structure = await change(c.id, 'structure');
		expect(structure.data.consequence).toBe('new_review');
		// Recorded is not approved: the review re-opens with the supervising leader's approval.
		expect((await get(c.id)).status).toBe('signed');
		expect((await http('gm', 'PATCH', `/items/cp_changes/${structure.data.id}`, { status: 'approved' })).status).toBe(200);
		const back = await get(c.id);
		expect(back.status).toBe('in_review');
		expect(back.review_round).toBe(2);
		expect(Object.keys(await reviewLines(c.id)).sort()).toEqual(['production', 'purchasing', 'quality', 'technical']);
	});

	it("CR-14 termination needs both parties' signatures and ends the contract when the change takes effect", async () => {
		const c = await signedContract();
		expect((await change(c.id, 'termination', { signed_by_customer: true })).code).toBe('CP_TERMINATION_NOT_SIGNED');
		expect((await get(c.id)).status).toBe('signed');
		// Terminating by editing the status directly is refused.
		expect((await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'terminated' })).code).toBe('CP_CHANGE_NOT_ALLOWED');
		const t = await change(c.id, 'termination', { signed_by_customer: true, signed_by_company: true });
		expect(t.status).toBe(200);
		expect((await get(c.id)).status).toBe('signed');
		await takeEffect(t.data.id);
		expect((await get(c.id)).status).toBe('terminated');
	});
});

describe('refusals change nothing (CR-17, X-2)', () => {
	it('refuses malformed and forbidden writes with stable codes', async () => {
		const cust = await customer(false);
		expect((await http('sales', 'POST', '/items/cp_contracts', { code: uid('HT'), title: 'x', customer: '00000000-0000-4000-8000-000000000000' })).code).toBe(
			'CP_INVALID_VALUE',
		);
		expect((await http('sales', 'POST', '/items/cp_contracts', { code: uid('HT'), title: 'x', customer: cust.id, class: 'huge' })).code).toBe(
			'CP_INVALID_VALUE',
		);
		expect((await http('sales', 'POST', '/items/cp_contracts', { code: uid('HT'), title: 'x', customer: cust.id, review_round: 5 })).code).toBe(
			'CP_SYSTEM_ONLY',
		);
		const badReq = await http('sales', 'POST', '/items/cp_contracts', {
			code: uid('HT'),
			title: 'x',
			customer: cust.id,
			requirements: [{ category: 'price', source: 'stated', text: 'x' }],
		});
		expect(badReq.code).toBe('CP_INVALID_VALUE');
		expect(badReq.message).toMatch(/产品要求.*第 1 行「类别」/);
		const c = await contract({
			customer: cust.id,
			requirements: [{ category: 'quality', source: 'stated', text: '边压强度 ≥ 7.0 kN/m' }],
			applicable_standard: 'GB 6543-2008',
		});
		expect((await get(c.id)).requirements).toEqual([{ category: 'quality', source: 'stated', text: '边压强度 ≥ 7.0 kN/m' }]);
		const neg = await http('sales', 'POST', '/items/cp_contract_lines', { contract: c.id, product: 'x', quantity: -5 });
		expect(neg.status).toBe(400);
		expect(neg.code).toBe('CP_INVALID_VALUE');
		expect(neg.message).toMatch(/quantity/);
		// No department may create review lines: Directus refuses by permission before any rule.
		const forged = await http('sales', 'POST', '/items/cp_review_lines', { contract: c.id, department: 'sales' });
		expect(forged.status).toBe(403);
		expect(forged.code).toBe('FORBIDDEN');
		// A non-sales department cannot submit.
		expect((await submit(c.id, 'quality')).status).toBe(403);
		await submit(c.id);
		// Lines are frozen while in review.
		const [line] = await ok('admin', 'GET', `/items/cp_contract_lines?filter[contract][_eq]=${c.id}`);
		expect((await http('sales', 'PATCH', `/items/cp_contract_lines/${line.id}`, { quantity: 1 })).code).toBe('CP_CHANGE_NOT_ALLOWED');
		expect(Number((await ok('admin', 'GET', `/items/cp_contract_lines/${line.id}`)).quantity)).toBe(LINE.quantity);
		// A status change travels alone, so nothing else in the request can be lost after it.
		// the title is fixed once the draft left Sales's desk, so the refusal names it.)
		const rider = await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'draft', title: 'renamed' });
		expect(rider.code).toBe('CP_CHANGE_NOT_ALLOWED');
		expect(rider.message).toMatch(/标题/);
		expect((await get(c.id)).status).toBe('in_review');
		// Reviewed records are retained.
		const del = await http('admin', 'DELETE', `/items/cp_contracts/${c.id}`);
		expect(del.code).toBe('CP_RETAINED');
		expect((await get(c.id)).status).toBe('in_review');
		// Every transition is attributed in the audit trail.
		const trail = await audit(c.id).whereNotNull('to_status').orderBy('id');
		expect(trail.find((t: any) => t.action === 'submitted')).toMatchObject({ from_status: 'draft', to_status: 'in_review', department: 'sales' });
	});
});

describe('CR-6 concurrency', () => {
	it('CR-6 signing all lines of a special major review in parallel, then the conclusion twice at once, completes it exactly once', async () => {
		const c = await contract({ customer: (await customer(false)).id, class: 'special', major: true });
		await submit(c.id);
		const lines = await reviewLines(c.id);
		const results = await Promise.all(Object.entries(lines).map(([dept, line]) => sign(dept, (line as any).id)));
		expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
		expect((await get(c.id)).status).toBe('in_review');
		const twice = await Promise.all([signConclusion(c.id, '同意 A'), signConclusion(c.id, '同意 B')]);
		expect(twice.filter((r) => r.status === 200)).toHaveLength(1);
		expect((await get(c.id)).status).toBe('reviewed');
		expect(await audit(c.id, 'conclusion_signed')).toHaveLength(1);
	});

	it('CR-6 CR-7 the in-stock lane completes exactly once when both slip lines are signed in parallel', async () => {
		const c = await contract({ customer: (await customer(false)).id, class: 'regular_in_stock' });
		await submit(c.id);
		const lines = await reviewLines(c.id);
		const results = await Promise.all(Object.entries(lines).map(([dept, line]) => sign(dept, (line as any).id)));
		expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
		expect((await get(c.id)).status).toBe('reviewed');
		expect(await audit(c.id, 'review_completed')).toHaveLength(1);
	});
});

afterAll(async () => {
	await database().destroy();
});
