// The approvals the procedures name, as signed steps by named roles, over HTTP as each
// department's user (CR-3, CR-4, CR-6, CR-7, CR-11). Expected values come from the procedure text:
// Doc 1 4.2.1-4.2.2 and Doc 2 3.6-3.7 / Doc 3 3.6 (the checklist aspects), Doc 2 4.3.1 (审核结论由
// 销售部经理签署, 重大项目由总经理审批), Doc 3 4.2.2.5 (出库单, 仓库保管员确认), 4.2.2.7 (报主管副总经理批准),
// 4.3.1 (由销售副总经理代表公司与顾客签订合同).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { database, http, ok, uid } from '../harness/client';
import { LINE, approval, signConclusion, signContract } from '../harness/fixtures';
import { updateVia } from '../harness/paths';

let customer: string;
let roles: Record<string, string>;
const userIds: Record<string, string> = {};

beforeAll(async () => {
	customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('AP'), name: 'Approvals customer', is_new: false })).id;
	roles = (await ok('admin', 'GET', '/items/cp_settings')).departments;
	for (const who of ['sales', 'deputy_gm', 'warehouse']) userIds[who] = (await ok(who, 'GET', '/users/me?fields=id')).id;
});

// Each test that maps signers or sets rules puts the company defaults back.
afterEach(async () => {
	await ok('admin', 'PATCH', '/items/cp_settings', { signers: null, approvers: null, major_rules: null, routes: null });
});

afterAll(async () => {
	await database().destroy();
});

const get = (id: string) => ok('admin', 'GET', `/items/cp_contracts/${id}`);

async function contract(fields: Record<string, unknown> = {}, product = uid('Carton')) {
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('AP'),
		title: 'Approvals contract',
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		customer,
		...fields,
	});
	// A product of its own, so no CR-8 confirmation route and (for the new-product rule) never reviewed.
	await ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, product, line_no: 1, contract: c.id });
	return c as { id: string };
}

async function lines(id: string): Promise<Record<string, any>> {
	const c = await get(id);
	const rows = await ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${id}&filter[round][_eq]=${c.review_round}&limit=-1`);
	return Object.fromEntries(rows.map((r: any) => [r.department, r]));
}

async function submitted(fields: Record<string, unknown> = {}, product?: string) {
	const c = await contract(fields, product);
	expect((await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' })).status).toBe(200);
	return c.id;
}

async function approveAll(id: string) {
	for (const [dept, line] of Object.entries(await lines(id))) {
		const r = await http(dept, 'PATCH', `/items/cp_review_lines/${line.id}`, approval(line));
		expect(r.status, `${dept}: ${r.message}`).toBe(200);
	}
}

describe('CR-3 CR-4 an approval confirms each aspect of its own checklist and carries an opinion', () => {
	it('CR-3 CR-4 production approving with an opinion but no checklist is refused, naming the staffing and transport aspects; nothing is signed', async () => {
		const id = await submitted();
		const production = (await lines(id)).production;
		const r = await http('production', 'PATCH', `/items/cp_review_lines/${production.id}`, { decision: 'approved', opinion: '产能满足' });
		expect(r.status).toBe(400);
		expect(r.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		// Doc 2 3.6 人员满足能力 and 3.7 运输满足能力 are on the production line of the default departments.
		// In the user's language (Production reads English), each aspect by its name.
		expect(r.message).toMatch(/人员满足能力|Staffing can meet the contract/);
		expect(r.message).toMatch(/运输满足能力|Transport capability/);
		const after = await ok('admin', 'GET', `/items/cp_review_lines/${production.id}`);
		expect(after.decision).toBe('pending');
		expect(after.signed_by).toBeNull();
		// The same through GraphQL: an opinion-less approval with every aspect ticked.
		const g = await updateVia('graphql-one', 'production', 'cp_review_lines', [production.id], {
			decision: 'approved',
			checklist: approval(production).checklist,
		});
		expect(g.ok).toBe(false);
		expect(g.code).toBe('CP_OPINION_REQUIRED');
		expect((await ok('admin', 'GET', `/items/cp_review_lines/${production.id}`)).decision).toBe('pending');
	});

	it('CR-3 a finance line reviews price, risk, funding capability and economic benefit; an aspect not confirmed needs its own note', async () => {
		// A company that routes regular contracts to Finance too (Doc 2 4.3.1 names 财务 among the reviewers).
		await ok('admin', 'PATCH', '/items/cp_settings', { routes: { regular: ['production', 'purchasing', 'finance', 'sales'] } });
		const id = await submitted();
		const finance = (await lines(id)).finance;
		// Doc 1 3.5 价格及风险控制, Doc 3 3.6 所需资金的筹集能力, Doc 1 4.2.1 a 合同能给公司带来经济效益.
		expect(finance.checklist.map((a: any) => a.key)).toEqual(['price', 'risk', 'funding', 'economic_benefit']);
		const ticks = finance.checklist.map((a: any) => ({ key: a.key, checked: a.key !== 'funding' }));
		const refused = await http('finance', 'PATCH', `/items/cp_review_lines/${finance.id}`, { decision: 'approved', opinion: '可以', checklist: ticks });
		expect(refused.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(refused.message).toMatch(/所需资金的筹集能力|Funding capability/);
		const noted = ticks.map((a: any) => (a.key === 'funding' ? { ...a, note: '需预付 30% 货款 30% advance payment needed' } : a));
		const r = await http('finance', 'PATCH', `/items/cp_review_lines/${finance.id}`, { decision: 'approved', opinion: '预付款到账后可执行', checklist: noted });
		expect(r.status, r.message).toBe(200);
		const stored = await ok('admin', 'GET', `/items/cp_review_lines/${finance.id}`);
		expect(stored.checklist.find((a: any) => a.key === 'funding')).toMatchObject({ checked: false, note: '需预付 30% 货款 30% advance payment needed' });
	});
});

describe('CR-6 the sales department manager signs the review conclusion', () => {
	it('CR-6 with every line signed the review waits for the conclusion; a company mapping the sales manager to another role moves the signature there', async () => {
		const id = await submitted();
		await approveAll(id);
		expect((await get(id)).status).toBe('in_review');
		// Production may not sign it (not even writable for it).
		expect((await signConclusion(id, '同意', 'production')).status).toBe(403);
		// The company names the deputy GM's role as its sales manager: a plain Sales member is refused now.
		await ok('admin', 'PATCH', '/items/cp_settings', { signers: { sales_manager: [roles.deputy_gm] } });
		const refused = await signConclusion(id, '同意');
		expect(refused.status).toBe(403);
		expect(refused.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(refused.message).toMatch(/销售部经理/);
		expect((await get(id)).status).toBe('in_review');
		const signed = await signConclusion(id, '评审通过，同意签订', 'deputy_gm');
		expect(signed.status, signed.message).toBe(200);
		const c = await get(id);
		expect(c).toMatchObject({ status: 'reviewed', conclusion: '评审通过，同意签订', conclusion_signed_by: userIds.deputy_gm });
		// Exactly once: a second conclusion is refused (the contract is no longer in review).
		expect((await signConclusion(id, 'again', 'deputy_gm')).status).toBe(409);
	});

	it('CR-6 the signers setting is validated: known signers only, each a Directus role or user', async () => {
		for (const signers of [{ boss: [roles.sales] }, { sales_manager: ['00000000-0000-4000-8000-000000000000'] }, { sales_manager: [] }, { sales_vp: 'x' }]) {
			const r = await http('admin', 'PATCH', '/items/cp_settings', { signers });
			expect(r.status, JSON.stringify(signers)).toBe(400);
			expect(r.code).toBe('CP_INVALID_VALUE');
		}
		expect((await http('admin', 'PATCH', '/items/cp_settings', { signers: { sales_vp: [userIds.sales] } })).status).toBe(200);
	});
});

describe('CR-11 the sales VP signs the contract for the company', () => {
	it('CR-11 Sales cannot sign; the sales VP (by default the deputy GM) can; mapped to a user, that user signs and the deputy GM no longer', async () => {
		const a = await submitted();
		await approveAll(a);
		expect((await signConclusion(a)).status).toBe(200);
		const bySales = await http('sales', 'PATCH', `/items/cp_contracts/${a}`, { status: 'signed' });
		expect(bySales.status).toBe(403);
		expect(bySales.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(bySales.message).toMatch(/销售副总经理/);
		expect((await get(a)).status).toBe('reviewed');
		expect(await database()('cp_task_notices').where('contract', a)).toHaveLength(0);
		expect((await signContract(a)).status).toBe(200);
		expect(await get(a)).toMatchObject({ status: 'signed', signed_by: userIds.deputy_gm });

		// A company whose sales VP is a particular user (a user attribute, not a role).
		await ok('admin', 'PATCH', '/items/cp_settings', { signers: { sales_vp: [userIds.sales] } });
		const b = await submitted();
		await approveAll(b);
		expect((await signConclusion(b)).status).toBe(200);
		expect((await signContract(b)).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		const viaGraphql = await updateVia('graphql-one', 'sales', 'cp_contracts', [b], { status: 'signed' });
		expect(viaGraphql.ok, viaGraphql.message).toBe(true);
		expect(await get(b)).toMatchObject({ status: 'signed', signed_by: userIds.sales });
	});
});

describe('CR-7 the approver per class and what makes a contract major are settings', () => {
	it('CR-7 by default a special contract ends with the deputy GM; a company following Doc 3 3.7 sets the GM instead', async () => {
		expect(Object.keys(await lines(await submitted({ class: 'special' }))).sort()).toEqual([
			'deputy_gm',
			'production',
			'purchasing',
			'quality',
			'sales',
			'technical',
		]);
		await ok('admin', 'PATCH', '/items/cp_settings', { approvers: { special: 'gm' } });
		expect(Object.keys(await lines(await submitted({ class: 'special' }))).sort()).toEqual(['gm', 'production', 'purchasing', 'quality', 'sales', 'technical']);
		const bad = await http('admin', 'PATCH', '/items/cp_settings', { approvers: { special: 'chairman' } });
		expect(bad.code).toBe('CP_INVALID_VALUE');
	});

	it('CR-7 an amount at the threshold, an export contract or a new product makes a contract major without a tick; below it, it stays regular', async () => {
		await ok('admin', 'PATCH', '/items/cp_settings', { major_rules: { amount_at_least: 500000, export: true } });
		const big = await submitted({ total_amount: 760000 });
		const c = await get(big);
		expect(c.review_route).toBe('regular+major');
		expect(c.route_reason).toMatch(/760000/);
		// Doc 2 4.3.1 重大项目由总经理审批: the GM's line is added.
		expect(Object.keys(await lines(big)).sort()).toEqual(['gm', 'production', 'purchasing', 'sales']);
		expect((await get(await submitted({ total_amount: 100000 }))).review_route).toBe('regular');
		expect((await get(await submitted({ total_amount: 100000, export: true }))).review_route).toBe('regular+major');
		// Sales's tick still forces it.
		expect((await get(await submitted({ total_amount: 100, major: true }))).review_route).toBe('regular+major');

		// New product: a product never on a reviewed contract is major; once reviewed, the next one is not.
		await ok('admin', 'PATCH', '/items/cp_settings', { major_rules: { new_product: true } });
		const product = uid('New press');
		const first = await submitted({}, product);
		expect((await get(first)).review_route).toBe('regular+major');
		expect((await get(first)).route_reason).toMatch(/新产品/);
		await approveAll(first);
		expect((await signConclusion(first)).status).toBe(200);
		const other = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('AP'), name: 'Other customer', is_new: false })).id;
		const second = await contract({ customer: other }, product);
		await ok('sales', 'PATCH', `/items/cp_contracts/${second.id}`, { status: 'in_review' });
		expect((await get(second.id)).review_route).toBe('regular');
	});

	it('CR-7 the in-stock lane: the outbound slip is signed by Sales and confirmed by the warehouse keeper, and that completes the review', async () => {
		const id = await submitted({ class: 'regular_in_stock' });
		const l = await lines(id);
		expect(Object.keys(l).sort()).toEqual(['sales', 'warehouse']);
		// The company names another user its warehouse keeper: the warehouse member may not confirm.
		await ok('admin', 'PATCH', '/items/cp_settings', { signers: { warehouse_keeper: [userIds.deputy_gm] } });
		const refused = await http('warehouse', 'PATCH', `/items/cp_review_lines/${l.warehouse.id}`, approval(l.warehouse, '现货确认'));
		expect(refused.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(refused.message).toMatch(/仓库保管员/);
		await ok('admin', 'PATCH', '/items/cp_settings', { signers: { warehouse_keeper: [userIds.warehouse] } });
		expect((await http('sales', 'PATCH', `/items/cp_review_lines/${l.sales.id}`, approval(l.sales, '出库单已填写'))).status).toBe(200);
		expect((await get(id)).status).toBe('in_review');
		expect((await http('warehouse', 'PATCH', `/items/cp_review_lines/${l.warehouse.id}`, approval(l.warehouse, '现货确认'))).status).toBe(200);
		// No conclusion on this lane: the slip's signatures complete it (Doc 3 4.2.2.5).
		expect((await get(id)).status).toBe('reviewed');
		expect((await signConclusion(id)).status).toBe(409);
	});
});
