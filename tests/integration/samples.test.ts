// Samples (CR-15) and tooling cost estimates (CR-16) over HTTP as department users.
import { describe, expect, it } from 'vitest';
import { cp, database, http, ok, uid } from '../harness/client';

const cp_user = (dept: string) => cp().users[dept].id;

const customer = () => ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Sample customer', is_new: false });
const move = (who: string, id: string, body: Record<string, unknown>) => http(who, 'PATCH', `/items/cp_samples/${id}`, body);

describe('CR-15 samples', () => {
	it('is made with parameters, inspected by Quality, sent only when passed, sealed when the customer approves, remade when rejected', async () => {
		const cust = await customer();
		const s = await ok('sales', 'POST', '/items/cp_samples', { code: uid('YP'), kind: 'sample', customer: cust.id });
		expect(s.status).toBe('requested');

		expect((await move('sales', s.id, { status: 'in_progress' })).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect((await move('sales', s.id, { status: 'in_progress', parameters: '纸板 K=A, 压线深度 2 mm' })).status).toBe(200);
		// Only Quality inspects, and a report is required.
		expect((await move('sales', s.id, { status: 'inspected', inspection_result: 'pass', inspection_report: 'ok' })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect((await move('quality', s.id, { status: 'inspected', inspection_result: 'fail' })).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect((await move('quality', s.id, { status: 'inspected', inspection_result: 'fail', inspection_report: '边压强度 5.8 kN/m,低于 7.0' })).status).toBe(200);
		// A failed sample is not sent; it is remade.
		expect((await move('sales', s.id, { status: 'sent' })).code).toBe('CP_ILLEGAL_TRANSITION');
		expect((await move('sales', s.id, { status: 'in_progress' })).status).toBe(200);
		expect((await ok('admin', 'GET', `/items/cp_samples/${s.id}`)).inspection_result).toBeNull();
		expect((await move('quality', s.id, { status: 'inspected', inspection_result: 'pass', inspection_report: '边压强度 7.4 kN/m 合格' })).status).toBe(200);
		expect((await move('sales', s.id, { status: 'sent' })).status).toBe(200);
		expect((await move('sales', s.id, { status: 'approved' })).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect((await move('sales', s.id, { status: 'approved', sealed_reference: true })).status).toBe(200);
		const trail = await database()('cp_audit').where({ collection: 'cp_samples', item: s.id }).whereNot('action', 'update').orderBy('id').pluck('action');
		expect(trail).toEqual(expect.arrayContaining(['start', 'inspect', 'remake', 'send', 'customer_approves']));
	});
});

describe('CR-15, X-1 the sample request form', () => {
	it('CR-15: prints 《样箱试制委托书》 (Doc 3 4.4.1): filled in by the salesperson, reviewed with the workshops, Technical and Technical quality', async () => {
		const cust = await customer();
		const s = await ok('sales', 'POST', '/items/cp_samples', { code: uid('YP'), kind: 'sample', customer: cust.id, parameters: '五层 BC 楞,边压 ≥ 7.0 kN/m' });
		const page = await http('production', 'GET', `/cp/samples/${s.id}/request-form`);
		expect(page.status).toBe(200);
		const html = String(page.body);
		expect(html).toContain('样箱试制委托书');
		expect(html).toContain(s.code);
		expect(html).toContain('边压 ≥ 7.0 kN/m');
		for (const reviewer of ['各车间', '技术部', '技术质量部']) expect(html).toContain(reviewer);
		expect((await http('sales', 'GET', `/cp/samples/not-a-sample/request-form`)).status).toBeGreaterThanOrEqual(400);
	});
});

describe('CR-16 tooling cost sharing', () => {
	it('is checked by Sales and approved by the GM with a cost-sharing plan and the customer consent', async () => {
		const cust = await customer();
		const t = await ok('sales', 'POST', '/items/cp_samples', { code: uid('MJ'), kind: 'tooling', customer: cust.id });
		expect((await move('sales', t.id, { status: 'in_progress' })).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect((await move('sales', t.id, { status: 'in_progress', tooling_estimate: 36000 })).status).toBe(200);
		expect((await move('sales', t.id, { status: 'approved', cost_sharing_plan: '50/50' })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		const noConsent = await move('gm', t.id, { status: 'approved', cost_sharing_plan: '顾客承担 50%' });
		expect(noConsent.code).toBe('CP_CUSTOMER_CONSENT_REQUIRED');
		expect((await ok('admin', 'GET', `/items/cp_samples/${t.id}`)).status).toBe('in_progress');
		expect((await move('sales', t.id, { customer_consent_at: new Date().toISOString(), cost_sharing_plan: '顾客承担 50%' })).status).toBe(200);
		expect((await move('gm', t.id, { status: 'approved' })).status).toBe(200);
		const row = await ok('admin', 'GET', `/items/cp_samples/${t.id}`);
		expect(row.status).toBe('approved');
		expect(row.approved_by).toBe(cp_user('gm'));
	});

	it('refuses bad input', async () => {
		expect((await http('sales', 'POST', '/items/cp_samples', { code: uid('YP'), kind: 'sample', customer: '00000000-0000-4000-8000-000000000000' })).code).toBe(
			'CP_INVALID_VALUE',
		);
		const cust = await customer();
		expect((await http('sales', 'POST', '/items/cp_samples', { code: uid('YP'), kind: 'sample', customer: cust.id, status: 'approved' })).code).toBe(
			'CP_ILLEGAL_TRANSITION',
		);
		expect((await http('sales', 'POST', '/items/cp_samples', { code: uid('MJ'), kind: 'tooling', customer: cust.id, tooling_estimate: -1 })).code).toBe(
			'CP_INVALID_VALUE',
		);
	});
});
