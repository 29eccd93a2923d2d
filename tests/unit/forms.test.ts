// Pure printable forms: shared layout, contract review forms, property register, and the
// evidence pack's period, permissions, CSV rows and README.
import { describe, expect, it } from 'vitest';
import { departmentLabel, escapeHtml, formatDay, formatTime, renderHtml, signaturesFrom } from '../../extensions/customer-processes/src/domain/forms/layout';
import {
	checklistText,
	renderChangeNotice,
	renderDiscrepancyForm,
	renderOrderConfirmation,
	renderReviewForm,
	renderSampleReport,
	renderTaskNotice,
} from '../../extensions/customer-processes/src/domain/forms/contract-forms';
import { renderPropertyRegister } from '../../extensions/customer-processes/src/domain/forms/property-register';
import {
	assertMayTakeEvidence,
	CSV_SPECS,
	csvSafe,
	evidenceReadme,
	exportState,
	parsePeriod,
	parseSample,
} from '../../extensions/customer-processes/src/domain/forms/evidence';
import { DomainError } from '../../extensions/customer-processes/src/domain/errors';

const ZONE = 'Asia/Shanghai';
const X = '<script>alert("x")</script>';
const ESC = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';
const ctx = { company: '示例制造 <b>', zone: ZONE };
const user = { first_name: '王', last_name: '五', email: 'w@example.com' };
const contract = {
	id: 'c1',
	code: 'HT-2026-001',
	title: `出口纸箱 ${X}`,
	kind: 'bid',
	channel: 'tender',
	class: 'special',
	major: 1,
	status: 'in_review',
	stage: 'bid_document',
	review_route: 'bid_document',
	route_reason: 'Tender, second review\n投标文件评审',
	review_round: 2,
	total_amount: '125000.00',
	currency: 'CNY',
	delivery_date: 1800000000000,
	applicable_standard: 'GB 6543-2008',
	requirements: JSON.stringify([{ category: 'delivery', source: 'statutory', text: '出口熏蒸证明' }]),
	customer: { code: 'C-1', name: '华东包装材料有限公司', contact_person: '李经理', phone: '021-1' },
	confirmation_record: '李经理来电',
	customer_confirmed_at: '2026-11-20T06:15:00Z',
	customer_confirmation_method: 'mail',
	sales_owner: user,
};
const lines = [{ line_no: 1, product: '五层瓦楞纸箱', specification: '600x400x300', quantity: 1000, unit: '只', unit_price: 10, delivery_date: '2027-01-15' }];

const err = (fn: () => unknown) => {
	try {
		fn();
	} catch (e) {
		return e as DomainError;
	}
	throw new Error('expected a DomainError');
};

describe('X-1 shared layout', () => {
	it('escapes every character that could open markup', () => {
		expect(escapeHtml(X)).toBe(ESC);
		expect(escapeHtml(`a'b&`)).toBe('a&#39;b&amp;');
		expect(escapeHtml(null)).toBe('');
	});

	it('formats times in the company zone, dates as stored, and names departments in both languages', () => {
		expect(formatTime('2026-11-20T06:15:00Z', ZONE)).toBe('2026-11-20 14:15');
		expect(formatTime(Date.parse('2026-11-20T06:15:00Z'), ZONE)).toBe('2026-11-20 14:15');
		expect(formatTime('2026-11-20T06:15:00Z')).toBe('2026-11-20 06:15');
		expect(formatTime('garbage', ZONE)).toBe('');
		expect(formatDay('2027-01-15')).toBe('2027-01-15');
		expect(formatDay(new Date(2027, 0, 15))).toBe('2027-01-15');
		expect(departmentLabel('quality')).toBe('质量部 Quality');
		expect(departmentLabel('sales,quality')).toBe('市场部 Sales, 质量部 Quality');
		expect(departmentLabel('logistics')).toBe('logistics');
	});

	it('builds signatures from audit entries, marking an admin acting for a department', () => {
		const s = signaturesFrom(
			[
				{ action: 'create', department: 'sales', at: '2026-11-20T01:00:00Z', ...user },
				{ action: 'update', department: 'sales', at: '2026-11-20T02:00:00Z' },
				{ action: 'signed', department: 'quality', as_admin: true, at: '2026-11-20T03:00:00Z', first_name: 'Admin' },
				{ action: 'tick', department: 'system', at: '2026-11-20T04:00:00Z' },
			],
			ZONE,
			(t) => (t.action === 'update' ? null : String(t.action)),
		);
		expect(s).toEqual([
			{ step: 'create', name: '王 五', department: '市场部 Sales', at: '2026-11-20 09:00' },
			{ step: 'signed', name: 'Admin', department: '质量部 Quality (管理员代签 admin acting)', at: '2026-11-20 11:00' },
			// The engine signs as itself: no department key on paper.
			{ step: 'tick', name: '系统 System', department: '', at: '2026-11-20 12:00' },
		]);
	});

	it('renders a document: UTF-8, company header, number, escaped cells, empty tables say so', () => {
		const html = renderHtml({
			company: 'ACME <i>',
			title: { zh: '测试单', en: 'Test form' },
			no: 'N<1>',
			sections: [
				{
					kind: 'fields',
					heading: '一',
					rows: [
						{ label: 'L', value: X },
						{ label: 'T', value: 'a\nb', text: true },
					],
				},
				{ kind: 'table', heading: '二', columns: ['A', 'B'], rows: [], empty: '无 None' },
			],
			signatures: [],
		});
		expect(html).toContain('<meta charset="utf-8">');
		expect(html).toContain('<html lang="zh-CN">');
		expect(html).toContain('ACME &lt;i&gt;');
		expect(html).toContain('编号 No.: N&lt;1&gt;');
		expect(html).toContain(`<td>${ESC}</td>`);
		expect(html).toContain('<td class="text">a\nb</td>');
		expect(html).toContain('<td colspan="2">无 None</td>');
		expect(html).toContain('签署 Signatures');
		expect(html).toContain('@media print');
		expect(html).not.toContain('<script>');
	});
});

describe('X-1 contract review forms (CR-1..CR-15)', () => {
	it('CR-3 checklist marks confirmed and open aspects', () => {
		expect(
			checklistText(
				JSON.stringify([
					{ key: 'a', zh: '数量', en: 'Quantity', checked: true },
					{ key: 'b', zh: '价格', en: 'Price' },
				]),
			),
		).toBe('√ 数量 Quantity\n□ 价格 Price');
		expect(checklistText('not json')).toBe('');
	});

	it('review form: contract header, stage, route reason, requirements, current round, earlier rounds, discrepancies', () => {
		const html = renderReviewForm({
			...ctx,
			contract,
			lines,
			reviewLines: [
				{ round: 1, stage: 'tender_decision', department: 'sales', decision: 'approved', signed_by: user, signed_at: '2026-11-01T02:00:00Z' },
				{
					round: 2,
					stage: 'bid_document',
					department: 'production',
					decision: 'rejected',
					opinion: `交期不够 ${X}`,
					signed_by: user,
					signed_at: '2026-11-02T02:00:00Z',
					checklist: [{ zh: '制造能力', en: 'Manufacturing capacity', checked: false }],
				},
				{
					round: 2,
					stage: 'bid_document',
					department: 'gm',
					decision: 'approved',
					signed_by: { first_name: 'Admin' },
					signed_at: '2026-11-02T03:00:00Z',
					signed_as_admin: true,
					checklist: '[{"zh":"批准","en":"Approval","checked":true}]',
				},
			],
			discrepancies: [{ round: 2, raised_by_department: 'purchasing', clause: '§3', problem: 'Q890', status: 'open' }],
			trail: [{ action: 'submitted', department: 'sales', at: '2026-11-01T01:00:00Z', ...user }],
		});
		for (const s of [
			'标书/合同评审单',
			'示例制造 &lt;b&gt;',
			'HT-2026-001',
			`出口纸箱 ${ESC}`,
			'C-1 华东包装材料有限公司',
			'标书 Bid / tender',
			'招标 Tender',
			'特殊合同 Special',
			'<td>是 Yes</td>',
			'投标文件 Bid document',
			'Tender, second review\n投标文件评审',
			'125000.00 CNY',
			'五层瓦楞纸箱',
			'1000 只',
			'GB 6543-2008',
			'交付 Delivery',
			'法律法规 Statutory',
			'出口熏蒸证明',
			'第 2 轮 Round 2',
			'生产部 Production',
			`交期不够 ${ESC}`,
			'不同意 Rejected',
			'□ 制造能力 Manufacturing capacity',
			'√ 批准 Approval',
			'是 Yes: 总经理 General Manager',
			'2026-11-02 10:00',
			'采购部 Purchasing',
			'待处理 Open',
			'提交评审 Submitted for review',
		]) {
			expect(html, s).toContain(s);
		}
		// Round 1 appears only in the summary of earlier rounds.
		expect(html).toMatch(/<td>1<\/td><td>投标决策 Decision to bid<\/td><td>市场部 Sales: 同意 Approved \(王 五, 2026-11-01 10:00\)<\/td>/);
		expect(html).not.toContain('<script>');
	});

	it('review form of a draft says it was not submitted', () => {
		const html = renderReviewForm({ ...ctx, contract: { ...contract, review_round: 0, status: 'draft' }, lines: [], reviewLines: [], trail: [] });
		expect(html).toContain('未提交评审 Not submitted for review');
	});

	it('CR-5 discrepancy form: raised by whom and when, Sales verification, closing sign-off', () => {
		const html = renderDiscrepancyForm({
			...ctx,
			contract,
			discrepancy: {
				round: 2,
				clause: '§3',
				problem: `Q890 ${X}`,
				suggestion: '改 Q690',
				raised_by_department: 'purchasing',
				user_created: user,
				date_created: '2026-11-03T01:00:00Z',
				status: 'closed',
				resolution: '顾客同意',
				customer_contact: '电话记录',
				customer_clarified_in_writing: 0,
				evidence: { title: '传真.pdf' },
				resolved_by: { first_name: 'Sales' },
				resolved_at: '2026-11-04T01:00:00Z',
				closed_by: { first_name: 'Buyer' },
				closed_at: '2026-11-05T01:00:00Z',
			},
			trail: [{ action: 'transition', to_status: 'resolved', department: 'sales', at: '2026-11-04T01:00:00Z', first_name: 'Sales' }],
		});
		for (const s of [
			'合同不一致问题处理单',
			'HT-2026-001 / R2',
			`Q890 ${ESC}`,
			'改 Q690',
			'采购部 Purchasing',
			'王 五',
			'2026-11-03 09:00',
			'顾客同意',
			'电话记录',
			'传真.pdf',
			'<td>否 No</td>',
			'<td>Sales</td>',
			'2026-11-04 09:00',
			'<td>Buyer</td>',
			'2026-11-05 09:00',
			'状态 Status → 已处理 Resolved',
		]) {
			expect(html, s).toContain(s);
		}
	});

	it('CR-10 order confirmation and CR-13 task notice', () => {
		const oc = renderOrderConfirmation({ ...ctx, contract, lines, trail: [] });
		for (const s of ['订单确认记录', '李经理来电', '2026-11-20 14:15', '邮件 Mail', '李经理 021-1', '王 五']) expect(oc, s).toContain(s);
		const tn = renderTaskNotice({
			...ctx,
			contract: { ...contract, signed_at: '2026-11-06T01:00:00Z', signed_by: user },
			lines,
			notices: [
				{
					department: 'production',
					content: 'HT-2026-001',
					issued_at: '2026-11-06T01:00:00Z',
					acknowledged_by: { first_name: 'Prod' },
					acknowledged_at: '2026-11-06T02:00:00Z',
				},
				{ department: 'warehouse', content: 'HT-2026-001', issued_at: '2026-11-06T01:00:00Z' },
			],
		});
		expect(tn).toContain('销售转生产任务通知单');
		expect(tn).toContain('<td>生产部 Production</td><td>HT-2026-001</td><td></td><td>Prod</td><td>2026-11-06 10:00</td>');
		expect(tn).toContain('<td>仓库 Warehouse</td><td>HT-2026-001</td><td></td><td>未签收 Not acknowledged</td><td></td>');
		expect(renderTaskNotice({ ...ctx, contract, lines, notices: [] })).toContain('未下达 Not issued');
	});

	it('CR-14 change notice: consequence and affected departments; termination shows both signatures', () => {
		const html = renderChangeNotice({
			...ctx,
			contract,
			change: {
				kind: 'price',
				description: `降价 ${X}`,
				status: 'approved',
				customer_consent_at: '2026-11-07T01:00:00Z',
				consequence: 'new_quotation',
				affected_departments: '["finance"]',
				user_created: user,
				date_created: '2026-11-07T01:00:00Z',
			},
			trail: [],
		});
		for (const s of ['合同变更通知单', '价格 Price', `降价 ${ESC}`, '已批准 Approved', '2026-11-07 09:00', '重出报价 New quotation', '财务部 Finance'])
			expect(html, s).toContain(s);
		expect(html).not.toContain('终止签字');
		const t = renderChangeNotice({
			...ctx,
			contract,
			change: { kind: 'termination', description: '取消', consequence: 'termination_both_parties', signed_by_customer: true, signed_by_company: false },
			trail: [],
		});
		expect(t).toContain('终止签字 Termination signatures');
		expect(t).toMatch(/顾客签字 Signed by customer<\/th><td>是 Yes<\/td>/);
		expect(t).toMatch(/公司签字 Signed by company<\/th><td>否 No<\/td>/);
	});

	it('CR-15/CR-16 sample inspection report, with the tooling cost block only when relevant', () => {
		const s = renderSampleReport({
			...ctx,
			sample: {
				code: 'YP-1',
				kind: 'sample',
				status: 'approved',
				customer: contract.customer,
				contract,
				parameters: '180℃',
				inspection_result: 'fail',
				inspection_report: X,
				sealed_reference: 1,
			},
			trail: [],
		});
		for (const v of ['样品检验报告', 'YP-1', '顾客认可 Approved by customer', '华东包装材料有限公司', 'HT-2026-001', '180℃', '不合格 Fail', ESC])
			expect(s, v).toContain(v);
		expect(s).not.toContain('模具费用 Tooling cost');
		const tooling = renderSampleReport({
			...ctx,
			sample: { code: 'MJ-1', kind: 'tooling', tooling_estimate: '30000', cost_sharing_plan: '各半', approved_by: { first_name: 'GM' } },
			trail: [],
		});
		expect(tooling).toContain('模具费用 Tooling cost');
		expect(tooling).not.toMatch(/\((CR|CP|CC|PR|X)-\d+/);
		expect(tooling).toContain('各半');
		expect(tooling).toContain('<td>GM</td>');
	});

	it('PR-1/PR-5 property register', () => {
		const html = renderPropertyRegister({
			company: 'ACME',
			zone: ZONE,
			customer: { code: 'C-1', name: '华东' },
			items: [
				{
					code: 'CP-1',
					name: `模切版 ${X}`,
					kind: 'tooling',
					quantity: 1,
					unit: '套',
					status: 'in_store',
					location: 'A-01',
					location_segregated: true,
					last_check_at: '2026-11-01T02:00:00Z',
					next_check_due: '2027-05-01',
					customer: { code: 'C-1', name: '华东' },
				},
			],
			printedAt: '2026-11-27T02:00:00Z',
		});
		expect(html).toContain('顾客财产登记表');
		expect(html).toContain('C-1 华东 · 打印时间 Printed: 2026-11-27 10:00');
		expect(html).toContain(
			`<td>CP-1</td><td>模切版 ${ESC}</td><td>工装/模具 Tooling</td><td>C-1 华东</td><td></td><td>1 套</td><td>在库 In store</td><td>A-01</td><td>是 Yes</td><td>2026-11-01 10:00</td><td>2027-05-01</td>`,
		);
		expect(html).toContain('1 项 items');
		expect(renderPropertyRegister({ company: '', zone: ZONE, customer: null, items: [], printedAt: new Date() })).toContain('无登记 No items');
	});
});

describe('X-1 evidence pack rules (ISO 9001 8.2, 8.5.3, 9.1.2)', () => {
	it('only admins, GM, deputy GM and Quality take it', () => {
		expect(() => assertMayTakeEvidence({ isAdmin: true, departments: [] })).not.toThrow();
		for (const d of ['gm', 'deputy_gm', 'quality']) expect(() => assertMayTakeEvidence({ isAdmin: false, departments: [d] })).not.toThrow();
		const e = err(() => assertMayTakeEvidence({ isAdmin: false, departments: ['sales', 'production'] }));
		expect(e.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(e.status).toBe(403);
	});

	it('the period is whole days in the company zone, end exclusive; bad input names the field', () => {
		const p = parsePeriod('2026-01-01', '2026-03-31', ZONE);
		expect(p.start.toISOString()).toBe('2025-12-31T16:00:00.000Z');
		expect(p.end.toISOString()).toBe('2026-03-31T16:00:00.000Z');
		expect(err(() => parsePeriod('2026-1-1', '2026-03-31', ZONE)).field).toBe('from');
		expect(err(() => parsePeriod('2026-02-30', '2026-03-31', ZONE)).field).toBe('from');
		expect(err(() => parsePeriod('2026-01-01', undefined, ZONE)).field).toBe('to');
		const backwards = err(() => parsePeriod('2026-03-01', '2026-02-01', ZONE));
		expect(backwards.code).toBe('CP_INVALID_VALUE');
		expect(backwards.field).toBe('to');
	});

	it('CSV values: formulas are neutralised, every spec gives one value per column', () => {
		expect(csvSafe('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
		expect(csvSafe('-1')).toBe(`'-1`);
		expect(csvSafe(-1)).toBe(-1);
		expect(csvSafe(null)).toBe('');
		expect(csvSafe('华东')).toBe('华东');
		for (const spec of CSV_SPECS) expect(spec.row({}, ZONE), spec.file).toHaveLength(spec.columns.length);
		const review = CSV_SPECS.find((s) => s.file === 'contract_reviews.csv')!;
		const row = review.row(
			{
				contract_code: 'HT-1',
				department: 'quality',
				checklist: '[{"zh":"验收","en":"Acceptance","checked":true}]',
				signer_first_name: '王',
				signed_at: '2026-11-20T06:15:00Z',
				signed_as_admin: 1,
			},
			ZONE,
		);
		const at = (c: string) => row[review.columns.indexOf(c)];
		expect(at('aspects')).toBe('√ 验收 Acceptance');
		expect(at('signed_by')).toBe('王');
		expect(at('signed_at')).toBe('2026-11-20 14:15');
		expect(at('signed_as_admin')).toBe('yes');
		expect(new Set(CSV_SPECS.map((s) => s.file)).size).toBe(CSV_SPECS.length);
	});

	it('README indexes the files with row counts and says whether PDFs are inside', () => {
		const period = parsePeriod('2026-01-01', '2026-03-31', ZONE);
		const base = {
			company: '示例制造',
			period,
			zone: ZONE,
			generatedAt: new Date('2026-04-01T00:00:00Z'),
			generatedBy: 'QA, quality',
			csv: [{ name: 'complaints.csv', description: 'complaints', rows: 3 }],
			forms: [{ name: 'forms/complaints/KF-1.html', description: '顾客信息反馈处理单' }],
		};
		const withPdf = evidenceReadme({ ...base, pdf: true });
		expect(withPdf).toContain('2026-01-01 .. 2026-03-31 (Asia/Shanghai)');
		expect(withPdf).toMatch(/complaints\.csv\s+3 rows/);
		expect(withPdf).toContain('forms/complaints/KF-1.html');
		expect(withPdf).toContain('pdf/');
		expect(evidenceReadme({ ...base, pdf: false, pdfNote: 'no font' })).toContain('No PDF copies: no font');
	});
});

describe('X-1 signatures of status records', () => {
	it('a status change counts whatever the action is called; edits without a status change do not', async () => {
		const { statusStep } = await import('../../extensions/customer-processes/src/domain/forms/contract-forms');
		const step = statusStep('申请 Requested', { inspected: '已检验 Inspected' });
		expect(step({ action: 'create', to_status: 'requested' })).toBe('申请 Requested');
		expect(step({ action: 'inspect', from_status: 'in_progress', to_status: 'inspected' })).toBe('状态 Status → 已检验 Inspected');
		expect(step({ action: 'transition', from_status: 'requested', to_status: 'sent' })).toBe('状态 Status → sent');
		expect(step({ action: 'update', from_status: 'inspected', to_status: 'inspected' })).toBeNull();
		expect(step({ action: 'read' })).toBeNull();
	});
});

describe('issue 14 background evidence export state', () => {
	const at = (iso: string) => new Date(iso);
	const started = {
		action: 'evidence_export_started',
		at: at('2026-12-01T10:00:00Z'),
		user: 'u1',
		data: { from: '2026-01-01', to: '2026-03-31', sample: null, total: 200 },
	};

	it('reports progress from the heartbeat and 100 % when done', () => {
		const entries = [started, { action: 'evidence_export_progress', at: at('2026-12-01T10:00:30Z'), data: { done: 50, total: 200 } }];
		const running = exportState(entries, at('2026-12-01T10:01:00Z'), 120_000)!;
		expect([running.status, running.percent, running.requestedBy, running.stale]).toEqual(['running', 25, 'u1', false]);
		const done = exportState(
			[...entries, { action: 'evidence_export_done', at: at('2026-12-01T10:02:00Z'), data: { done: 200, file: 'f1', bytes: 10 } }],
			at('2026-12-01T11:00:00Z'),
			120_000,
		)!;
		expect([done.status, done.percent, done.file, done.stale]).toEqual(['done', 100, 'f1', false]);
	});

	it('a running export whose heartbeat stopped (its instance died) is failed, not running forever', () => {
		const entries = [started, { action: 'evidence_export_progress', at: at('2026-12-01T10:00:30Z'), data: { done: 50 } }];
		const s = exportState(entries, at('2026-12-01T10:02:31Z'), 120_000)!;
		expect([s.status, s.stale]).toEqual(['failed', true]);
		expect(s.error).toContain('stopped');
		// Once the failure is recorded it stays failed, and no longer stale.
		const recorded = exportState(
			[...entries, { action: 'evidence_export_failed', at: at('2026-12-01T10:02:31Z'), data: { error: 'x' } }],
			at('2026-12-01T12:00:00Z'),
			120_000,
		)!;
		expect([recorded.status, recorded.stale]).toEqual(['failed', false]);
		expect(exportState([], at('2026-12-01T10:00:00Z'), 1000)).toBeNull();
	});

	it('a sample is 1 to 200 records per kind', () => {
		expect(parseSample(undefined)).toBeNull();
		expect(parseSample('5')).toBe(5);
		for (const bad of ['0', '-1', '1.5', 'x', '201']) expect(() => parseSample(bad), bad).toThrow(DomainError);
	});
});
