// CR-14 contract changes as each department's user (Doc 1 4.6, Doc 2 4.5): the supervising
// leader approves, the customer confirms the change notice, the market department head signs,
// and only then the change amends the contract (keeping the previous values) and the task notice
// goes out again; a design change that does not affect the customer is R&D's.
//
// Worked example: a contract in production has line 1 of 100 pcs at 5.00 and line 2 of 50 pcs at
// 2.00 (total 600.00). The customer asks for 120 pcs on line 1 (total 700.00).
import { describe, expect, it } from 'vitest';
import { cp, database, http, ok, token, uid } from '../harness/client';
import { updateVia } from '../harness/paths';

const LINES = [
	{
		line_no: 1,
		product: '五层瓦楞纸箱',
		specification: '600×400×300',
		material: 'K=A',
		process: '水印',
		quantity: 100,
		unit: 'pcs',
		unit_price: 5,
		delivery_date: '2027-01-15',
	},
	{
		line_no: 2,
		product: '隔板',
		specification: '590×390',
		material: 'B',
		process: '模切',
		quantity: 50,
		unit: 'pcs',
		unit_price: 2,
		delivery_date: '2027-01-15',
	},
];
const TASK_NOTICE_DEPARTMENTS = ['production', 'purchasing', 'quality', 'warehouse'];

/** A contract signed and released to production, with its first task notices (CR-13) in place. */
async function inProduction() {
	const cust = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Customer ${uid('n')}`, is_new: false });
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('HT'),
		title: '纸箱供货合同',
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		customer: cust.id,
		total_amount: 600,
		delivery_date: '2027-01-15',
	});
	for (const l of LINES) await ok('sales', 'POST', '/items/cp_contract_lines', { ...l, contract: c.id });
	// The review and signing are CR-2..CR-13's (tested there); here the contract simply is in production.
	const now = new Date();
	await database()('cp_contracts').where('id', c.id).update({ status: 'in_production', review_round: 1, signed_at: now });
	await database()('cp_task_notices').insert(
		TASK_NOTICE_DEPARTMENTS.map((department) => ({ id: crypto.randomUUID(), contract: c.id, department, issued_at: now, content: c.title, date_created: now })),
	);
	return c;
}

const lineQty = async (contractId: string, lineNo: number) =>
	Number((await database()('cp_contract_lines').where({ contract: contractId, line_no: lineNo }).first()).quantity);
const changeRow = (id: string) => database()('cp_changes').where('id', id).first();
const patch = (who: string, id: string, data: Record<string, unknown>) => http(who, 'PATCH', `/items/cp_changes/${id}`, data);
const me = async (who: string) => (await ok(who, 'GET', '/users/me?fields=id')).id as string;
const CONFIRMATION = {
	customer_confirmed_by: '王经理(顾客采购部)',
	customer_confirmed_at: '2026-12-01T02:00:00Z',
	customer_confirmation_method: 'fax',
	confirmation_record: '传真 0571-8888 1234,12 月 1 日回传签字的变更通知单',
};

const quantityChange = (contractId: string, extra: Record<string, unknown> = {}) =>
	ok('sales', 'POST', '/items/cp_changes', {
		contract: contractId,
		kind: 'quantity',
		description: '第 1 行数量由 100 改为 120 只',
		customer_consent_at: '2026-11-30T01:00:00Z',
		consent_by: '王经理',
		amendments: { lines: [{ line_no: 1, quantity: 120 }], total_amount: 700 },
		...extra,
	});

async function page(who: string, path: string) {
	const res = await fetch(`${cp().url}${path}`, { headers: { authorization: `Bearer ${await token(who)}` } });
	expect(res.status, path).toBe(200);
	return res.text();
}

describe('CR-14 a change takes effect only after the leader’s approval, the customer’s confirmation and the market head’s signature (Doc 1 4.6 b-c)', () => {
	it('CR-14 worked example: line 1 of 100 pcs changed to 120 keeps 100 as previous; each step by its own department, in order', async () => {
		const c = await inProduction();
		const ch = await quantityChange(c.id);
		// Recorded, not in force: the contract still says 100.
		expect(ch.status).toBe('requested');
		expect(await lineQty(c.id, 1)).toBe(100);

		// Out of order: Sales cannot carry out or confirm what nobody approved.
		for (const to of ['done', 'confirmed']) {
			const r = await patch('sales', ch.id, { status: to });
			expect(r.code, to).toBe('CP_ILLEGAL_TRANSITION');
			// In the user's language (Sales reads zh-CN), statuses named by their labels.
			expect(r.message).toContain('「已申请」');
			expect(r.message).not.toMatch(/'requested'|CR-14/);
		}
		// Wrong department: only the supervising leader (deputy GM or GM) approves.
		for (const who of ['sales', 'technical']) {
			const r = await patch(who, ch.id, { status: 'approved' });
			expect(r.code, who).toBe('CP_NOT_DEPARTMENT_MEMBER');
			// In the user's language (Sales reads zh-CN, the others English), the leaders named as the screens name them.
			expect(r.message).toMatch(/副总经理|Deputy GM/);
		}
		expect((await changeRow(ch.id)).status).toBe('requested');

		// The deputy GM approves: signed and attributable, one audit row by the deputy GM.
		expect((await patch('deputy_gm', ch.id, { status: 'approved', decision_note: '同意按顾客要求增加数量' })).status).toBe(200);
		const approved = await changeRow(ch.id);
		expect(approved.approved_by).toBe(await me('deputy_gm'));
		expect(approved.approved_as).toBe('deputy_gm');
		expect(approved.approved_at).toBeTruthy();
		const approval = await database()('cp_audit').where({ collection: 'cp_changes', item: ch.id, to_status: 'approved' });
		expect(approval).toHaveLength(1);
		expect(approval[0].department).toBe('deputy_gm');
		// Approval alone does not amend the contract.
		expect(await lineQty(c.id, 1)).toBe(100);

		// The market head cannot sign before the customer confirmed the change notice.
		expect((await patch('sales', ch.id, { status: 'done' })).code).toBe('CP_ILLEGAL_TRANSITION');
		// The confirmation records who, when, how and the evidence.
		const bare = await patch('sales', ch.id, { status: 'confirmed' });
		expect(bare.code).toBe('CP_CUSTOMER_CONFIRMATION_REQUIRED');
		expect(bare.message).toContain('顾客确认人');
		expect(bare.message).not.toMatch(/customer_confirmed_by/);
		const noEvidence = await patch('sales', ch.id, { status: 'confirmed', ...CONFIRMATION, confirmation_record: null });
		expect(noEvidence.code).toBe('CP_CUSTOMER_CONFIRMATION_REQUIRED');
		// Only Sales records the customer's confirmation.
		expect((await patch('gm', ch.id, { status: 'confirmed', ...CONFIRMATION })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect((await changeRow(ch.id)).status).toBe('approved');
		expect((await patch('sales', ch.id, { status: 'confirmed', ...CONFIRMATION })).status).toBe(200);
		const confirmed = await changeRow(ch.id);
		expect(confirmed.customer_confirmed_by).toBe(CONFIRMATION.customer_confirmed_by);
		expect(confirmed.customer_confirmation_method).toBe('fax');
		expect(await lineQty(c.id, 1)).toBe(100);

		// The market department head (Sales) signs; the leaders and R&D do not.
		for (const who of ['deputy_gm', 'technical']) expect((await patch(who, ch.id, { status: 'done' })).code, who).toBe('CP_NOT_DEPARTMENT_MEMBER');
		const noticesBefore = await database()('cp_task_notices').where('contract', c.id);
		expect(noticesBefore).toHaveLength(4);
		expect((await patch('sales', ch.id, { status: 'done' })).status).toBe(200);

		// In effect: line 1 is 120, line 2 untouched, the total 700; the previous values kept.
		expect(await lineQty(c.id, 1)).toBe(120);
		expect(await lineQty(c.id, 2)).toBe(50);
		expect(Number((await database()('cp_contracts').where('id', c.id).first()).total_amount)).toBe(700);
		const done = await changeRow(ch.id);
		expect(done.head_signed_by).toBe(await me('sales'));
		expect(done.effective_at).toBeTruthy();
		const amended = typeof done.amended === 'string' ? JSON.parse(done.amended) : done.amended;
		expect(amended).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ target: 'line', line_no: 1, field: 'quantity', from: 100, to: 120 }),
				expect.objectContaining({ target: 'contract', field: 'total_amount', from: 600, to: 700 }),
			]),
		);
		const line1 = await database()('cp_contract_lines').where({ contract: c.id, line_no: 1 }).first();
		const history = await database()('cp_audit').where({ collection: 'cp_contract_lines', item: line1.id, action: 'amended' });
		expect(history).toHaveLength(1);
		expect(typeof history[0].data === 'string' ? JSON.parse(history[0].data) : history[0].data).toMatchObject({ field: 'quantity', from: 100, to: 120 });

		// Doc 2 4.5.2: a quantity change is a new work order: the task notice goes out again to
		// production, purchasing and the warehouse (quality's work does not change).
		const reissued = await database()('cp_task_notices').where({ contract: c.id, change: ch.id });
		expect(reissued.map((n: any) => n.department).sort()).toEqual(['production', 'purchasing', 'warehouse']);
		expect(reissued.every((n: any) => n.acknowledged_at === null)).toBe(true);
		// The production department acknowledges its new notice like the first one.
		const prod = reissued.find((n: any) => n.department === 'production');
		expect((await http('production', 'PATCH', `/items/cp_task_notices/${prod.id}`, { acknowledged_at: new Date().toISOString() })).status).toBe(200);

		// A change that took effect is evidence.
		expect((await patch('sales', ch.id, { description: '改为 130 只' })).code).toBe('CP_RECORD_FROZEN');
		expect((await patch('sales', ch.id, { status: 'rejected', decision_note: 'x' })).code).toBe('CP_RECORD_FROZEN');
	});

	it("CR-14 the leader approves only with the customer's written consent on record and the new values filled in", async () => {
		const c = await inProduction();
		const ch = await quantityChange(c.id);
		expect((await patch('sales', ch.id, { customer_consent_at: null })).status).toBe(200);
		const r = await patch('gm', ch.id, { status: 'approved' });
		expect(r.code).toBe('CP_CUSTOMER_CONSENT_REQUIRED');
		// The GM reads English: the field is named by its label.
		expect(r.message).toContain('Customer written consent');
		expect((await patch('sales', ch.id, { customer_consent_at: '2026-11-30T01:00:00Z', amendments: null })).status).toBe(200);
		const noValues = await patch('gm', ch.id, { status: 'approved' });
		expect(noValues.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(noValues.message).toContain('Amended values');
		// A kind of change amends only its own values: a price change does not move quantities.
		const price = await http('sales', 'POST', '/items/cp_changes', {
			contract: c.id,
			kind: 'price',
			description: '单价调整',
			customer_consent_at: '2026-11-30T01:00:00Z',
			amendments: { lines: [{ line_no: 1, quantity: 999 }] },
		});
		expect(price.code).toBe('CP_INVALID_VALUE');
		expect(price.message).toContain('数量');
		expect((await changeRow(ch.id)).status).toBe('requested');
	});

	it('CR-14 the leader may reject, giving a reason; a rejected change amends nothing', async () => {
		const c = await inProduction();
		const ch = await quantityChange(c.id);
		expect((await patch('gm', ch.id, { status: 'rejected' })).code).toBe('CP_OPINION_REQUIRED');
		expect((await patch('gm', ch.id, { status: 'rejected', decision_note: '产能不足,不能增加' })).status).toBe(200);
		expect(await lineQty(c.id, 1)).toBe(100);
		expect((await patch('gm', ch.id, { status: 'approved' })).code).toBe('CP_RECORD_FROZEN');
		expect(await database()('cp_task_notices').where({ contract: c.id }).whereNotNull('change')).toHaveLength(0);
	});

	it('CR-14 a structure change is re-reviewed after the approval and takes effect only when the re-review is over', async () => {
		const c = await inProduction();
		const ch = await ok('sales', 'POST', '/items/cp_changes', {
			contract: c.id,
			kind: 'structure',
			description: '增加内衬隔板',
			customer_consent_at: '2026-11-30T01:00:00Z',
			amendments: { lines: [{ line_no: 1, specification: '600×400×320' }] },
		});
		expect((await database()('cp_contracts').where('id', c.id).first()).status).toBe('in_production');
		expect((await patch('deputy_gm', ch.id, { status: 'approved' })).status).toBe(200);
		const contract = await database()('cp_contracts').where('id', c.id).first();
		expect(contract.status).toBe('in_review');
		expect(Number(contract.review_round)).toBe(2);
		const lines = await database()('cp_review_lines').where({ contract: c.id, round: 2 });
		expect(lines.map((l: any) => l.department).sort()).toEqual(['production', 'purchasing', 'quality', 'technical']);
		expect((await patch('sales', ch.id, { status: 'confirmed', ...CONFIRMATION })).status).toBe(200);
		const early = await patch('sales', ch.id, { status: 'done' });
		expect(early.code).toBe('CP_REVIEW_INCOMPLETE');
		expect((await database()('cp_contract_lines').where({ contract: c.id, line_no: 1 }).first()).specification).toBe('600×400×300');
	});

	it("CR-14 a termination takes effect (the contract ends) only when the notice is signed, with both parties' signatures", async () => {
		const c = await inProduction();
		const t = await ok('sales', 'POST', '/items/cp_changes', {
			contract: c.id,
			kind: 'termination',
			description: '顾客取消订单',
			customer_consent_at: '2026-11-30T01:00:00Z',
			signed_by_customer: true,
			signed_by_company: true,
		});
		expect((await patch('gm', t.id, { status: 'approved' })).status).toBe(200);
		expect((await patch('sales', t.id, { status: 'confirmed', ...CONFIRMATION })).status).toBe(200);
		expect((await database()('cp_contracts').where('id', c.id).first()).status).toBe('in_production');
		expect((await patch('sales', t.id, { status: 'done' })).status).toBe(200);
		expect((await database()('cp_contracts').where('id', c.id).first()).status).toBe('terminated');
		// Work stops: no new task notice for a termination.
		expect(await database()('cp_task_notices').where({ contract: c.id }).whereNotNull('change')).toHaveLength(0);
	});
});

describe('CR-14 the market department head signs the change notice (Doc 1 4.6 c)', () => {
	it('CR-14 when the company names its market head, another Sales member cannot put the change into effect', async () => {
		const c = await inProduction();
		const ch = await quantityChange(c.id);
		await ok('deputy_gm', 'PATCH', `/items/cp_changes/${ch.id}`, { status: 'approved', decision_note: '同意' });
		await ok('sales', 'PATCH', `/items/cp_changes/${ch.id}`, { status: 'confirmed', ...CONFIRMATION });
		const departments = (await ok('admin', 'GET', '/items/cp_settings')).departments;
		// The company names the holder of the deputy GM's role as the head of the market department.
		await ok('admin', 'PATCH', '/items/cp_settings', { signers: { sales_manager: [departments.deputy_gm] } });
		try {
			const r = await patch('sales', ch.id, { status: 'done' });
			expect(r.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
			expect((await changeRow(ch.id)).status).toBe('confirmed');
			expect(await lineQty(c.id, 1)).toBe(100);
		} finally {
			await ok('admin', 'PATCH', '/items/cp_settings', { signers: null });
		}
		// Without a named head, the Sales department's member signs as today.
		expect((await patch('sales', ch.id, { status: 'done' })).status).toBe(200);
		expect(await lineQty(c.id, 1)).toBe(120);
	});
});

describe('CR-14 X-5 the steps hold on every write path', () => {
	it('CR-14 GraphQL: the wrong department is refused and the leader approves', async () => {
		const c = await inProduction();
		const ch = await quantityChange(c.id);
		const refused = await updateVia('graphql-one', 'technical', 'cp_changes', [ch.id], { status: 'approved' });
		expect(refused.ok).toBe(false);
		expect(refused.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		const early = await updateVia('graphql-one', 'sales', 'cp_changes', [ch.id], { status: 'done' });
		expect(early.code).toBe('CP_ILLEGAL_TRANSITION');
		expect((await changeRow(ch.id)).status).toBe('requested');
		const r = await updateVia('graphql-one', 'gm', 'cp_changes', [ch.id], { status: 'approved' });
		expect(r.ok, r.message).toBe(true);
		expect((await changeRow(ch.id)).approved_as).toBe('gm');
	});

	it('CR-14 a batch of changes is refused one-at-a-time: each approval is its own signed step', async () => {
		const c = await inProduction();
		const a = await quantityChange(c.id);
		const b = await quantityChange(c.id);
		for (const path of ['rest-keys', 'rest-query', 'graphql-many'] as const) {
			const r = await updateVia(path, 'gm', 'cp_changes', [a.id, b.id], { status: 'approved' });
			expect(r.code, path).toBe('CP_ONE_AT_A_TIME');
		}
		expect((await changeRow(a.id)).status).toBe('requested');
		expect((await changeRow(b.id)).status).toBe('requested');
		// The stamps are the engine's: nobody writes an approver by hand.
		const forged = await patch('sales', a.id, { approved_by: await me('gm'), approved_at: new Date().toISOString() });
		expect(forged.code).toBe('CP_SYSTEM_ONLY');
		const forgedAmend = await patch('sales', a.id, { amended: [{ field: 'quantity', from: 1, to: 2 }] });
		expect(forgedAmend.code).toBe('CP_SYSTEM_ONLY');
	});
});

describe('CR-14 design change request: a change that does not affect the customer is R&D’s (Doc 1 4.6 a)', () => {
	it('CR-14 R&D records, approves and carries it out without the customer; Sales and the leaders do not take its steps; the task notice goes to production and quality', async () => {
		const c = await inProduction();
		const fromSales = await http('sales', 'POST', '/items/cp_changes', { contract: c.id, kind: 'design', description: '模切刀版改进' });
		expect(fromSales.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(fromSales.message).toContain('研发部');
		// R&D does not record the customer's changes.
		expect(
			(await http('technical', 'POST', '/items/cp_changes', { contract: c.id, kind: 'quantity', description: 'x', customer_consent_at: '2026-11-30' })).code,
		).toBe('CP_NOT_DEPARTMENT_MEMBER');
		const d = await ok('technical', 'POST', '/items/cp_changes', { contract: c.id, kind: 'design', description: '模切刀版改进,外形尺寸不变' });
		expect(d.status).toBe('requested');
		expect(d.consequence).toBe('design_change');
		for (const who of ['sales', 'deputy_gm']) expect((await patch(who, d.id, { status: 'approved' })).code, who).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect((await patch('technical', d.id, { status: 'approved', decision_note: '按设计更改规定执行' })).status).toBe(200);
		// No customer confirmation on this route.
		expect((await patch('sales', d.id, { status: 'confirmed', ...CONFIRMATION })).code).toBe('CP_ILLEGAL_TRANSITION');
		expect((await patch('technical', d.id, { status: 'confirmed' })).code).toBe('CP_ILLEGAL_TRANSITION');
		expect((await patch('technical', d.id, { status: 'done' })).status).toBe(200);
		const row = await changeRow(d.id);
		expect(row.approved_by).toBe(await me('technical'));
		expect(row.head_signed_by).toBeNull();
		expect(row.effective_at).toBeTruthy();
		// The contract's terms are the customer's and do not change.
		expect(await lineQty(c.id, 1)).toBe(100);
		const reissued = await database()('cp_task_notices').where({ contract: c.id, change: d.id });
		expect(reissued.map((n: any) => n.department).sort()).toEqual(['production', 'quality']);

		// The printed design change request (设计变更申请单).
		const html = await page('quality', `/cp/changes/${d.id}/design-request`);
		for (const s of [
			'设计变更申请单',
			'Design Change Request',
			c.code,
			'模切刀版改进,外形尺寸不变',
			'研发部按设计更改规定执行',
			'按设计更改规定执行',
			'Technical 研发部',
		])
			expect(html, s).toContain(s.replace('&', '&amp;'));
		expect(html).toMatch(/影响顾客要求 Affects the customer’s requirements<\/th><td>否 No<\/td>/);
	});
});

describe('CR-14 the printed change notice shows the steps filled in (X-1)', () => {
	it('CR-14 approver, customer confirmation, market head signature and the values from → to', async () => {
		const c = await inProduction();
		const ch = await quantityChange(c.id);
		// Before it takes effect the notice shows the values now and the values asked for.
		const draft = await page('production', `/cp/changes/${ch.id}/notice`);
		expect(draft).toContain('未批准 Not approved');
		expect(draft).toMatch(/第 1 行 Line 1<\/td><td>数量 Quantity<\/td><td>100<\/td><td>120<\/td>/);
		await ok('deputy_gm', 'PATCH', `/items/cp_changes/${ch.id}`, { status: 'approved', decision_note: '同意' });
		await ok('sales', 'PATCH', `/items/cp_changes/${ch.id}`, { status: 'confirmed', ...CONFIRMATION });
		await ok('sales', 'PATCH', `/items/cp_changes/${ch.id}`, { status: 'done' });
		const html = await page('production', `/cp/changes/${ch.id}/notice`);
		for (const s of [
			'合同变更通知单',
			'主管领导批准 Approval by the supervising leader',
			'Deputy 副总经理',
			'副总经理 Deputy GM',
			'顾客确认 Confirmed by the customer',
			CONFIRMATION.customer_confirmed_by,
			'传真 Fax',
			CONFIRMATION.confirmation_record,
			'市场部部长审核签字 Signed by the market department head',
			'Sales 市场部',
			'变更前 Before',
		])
			expect(html, s).toContain(s);
		expect(html).toMatch(/第 1 行 Line 1<\/td><td>数量 Quantity<\/td><td>100<\/td><td>120<\/td>/);
		expect(html).toMatch(/合同 Contract<\/td><td>合同金额 Total amount<\/td><td>600<\/td><td>700<\/td>/);
		expect(html).not.toContain('未签字 Not signed');
	});
});
