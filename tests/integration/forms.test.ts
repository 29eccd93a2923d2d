// Printable forms and the auditor's evidence pack (ISO 9001 8.2, 8.5.3, 9.1.2) over HTTP
// as department users: the data is made through the API, the forms must show it.
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, database, http, ok, token, uid } from '../harness/client';
import { unzip } from '../harness/files';
import { approval, signConclusion, signContract } from '../harness/fixtures';

const ZONE = 'Asia/Shanghai';
const SCRIPT = '<script>alert("x")</script>';
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';
const CUSTOMER_NAME = '华东包装材料有限公司';
const LINE = {
	product: '五层瓦楞纸箱',
	specification: '600x400x300',
	material: 'K=A',
	marks: 'LOGO',
	process: '水印',
	quantity: 1000,
	unit: '只',
	unit_price: 10,
	delivery_date: '2027-01-15',
};

let savedCompany: string | null = null;
let customer: any;
let contract: any;
let discrepancy: any;
let structureChange: any;
let quantityChange: any;
let sample: any;
let tooling: any;
let personal: any;

/** GET a form as text, with status and content type. */
async function page(who: string | null, path: string) {
	const headers: Record<string, string> = who ? { authorization: `Bearer ${await token(who)}` } : {};
	const res = await fetch(`${cp().url}${path}`, { headers });
	return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function form(who: string, path: string) {
	const r = await page(who, path);
	expect(r.status, `${path}: ${r.text.slice(0, 300)}`).toBe(200);
	expect(r.type).toMatch(/text\/html; charset=utf-8/);
	expect(r.text).toContain('<meta charset="utf-8">');
	expect(r.text).toContain('示例制造有限公司');
	expect(r.text).not.toContain('<script>');
	return r.text;
}

async function reviewLines(id: string, round?: number) {
	const c = await ok('admin', 'GET', `/items/cp_contracts/${id}`);
	const rows = await ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${id}&filter[round][_eq]=${round ?? c.review_round}&limit=-1`);
	return Object.fromEntries(rows.map((r: any) => [r.department, r]));
}

beforeAll(async () => {
	savedCompany = (await ok('admin', 'GET', '/items/cp_settings?fields=company_name')).company_name ?? null;
	await ok('admin', 'PATCH', '/items/cp_settings', { company_name: '示例制造有限公司' });

	customer = await ok('sales', 'POST', '/items/cp_customers', {
		code: uid('C'),
		name: CUSTOMER_NAME,
		is_new: false,
		contact_person: '李经理',
		phone: '021-5555',
	});
	contract = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('HT'),
		title: '出口纸箱年度合同',
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		customer: customer.id,
		applicable_standard: 'GB 6543-2008',
		requirements: [{ category: 'quality', source: 'stated', text: '耐压强度 ≥ 5000 N' }],
		confirmation_record: `李经理 10:15 来电确认 1000 只 ${SCRIPT}`,
		customer_confirmed_at: new Date().toISOString(),
		customer_confirmation_method: 'fax',
	});
	await ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, line_no: 1, contract: contract.id });
	await ok('sales', 'PATCH', `/items/cp_contracts/${contract.id}`, { status: 'in_review' });

	// CR-5: purchasing raises a discrepancy, Sales resolves it with the customer, purchasing closes it.
	discrepancy = await ok('purchasing', 'POST', '/items/cp_discrepancies', {
		contract: contract.id,
		clause: '§3 材质',
		problem: `K=A 纸板交期 6 周 ${SCRIPT}`,
		suggestion: '请顾客接受 K=B',
	});
	const r1 = await reviewLines(contract.id);
	const checklist = JSON.parse(typeof r1.production.checklist === 'string' ? r1.production.checklist : JSON.stringify(r1.production.checklist)).map(
		(a: any) => ({ ...a, checked: true }),
	);
	await ok('production', 'PATCH', `/items/cp_review_lines/${r1.production.id}`, { decision: 'approved', opinion: `产能满足 ${SCRIPT}`, checklist });
	await ok('purchasing', 'PATCH', `/items/cp_review_lines/${r1.purchasing.id}`, approval(r1.purchasing, '可采购'));
	await ok('sales', 'PATCH', `/items/cp_review_lines/${r1.sales.id}`, approval(r1.sales, '价格可接受'));
	await ok('sales', 'PATCH', `/items/cp_discrepancies/${discrepancy.id}`, {
		status: 'resolved',
		resolution: '顾客同意 K=B 纸板',
		customer_contact: '2026-11-20 14:00 电话 李经理',
	});
	await ok('purchasing', 'PATCH', `/items/cp_discrepancies/${discrepancy.id}`, { status: 'closed' });
	// CR-6: the sales manager signs the conclusion (Doc 2 4.3.1), which completes the review.
	expect((await signConclusion(contract.id, `同意签订，交期按 K=B 纸板执行 ${SCRIPT}`)).status).toBe(200);
	expect((await ok('admin', 'GET', `/items/cp_contracts/${contract.id}`)).status).toBe('reviewed');

	// CR-11, CR-13: the sales VP signs for the company, which issues the task notices; production acknowledges its own.
	expect((await signContract(contract.id)).status).toBe(200);
	const notices = await ok('admin', 'GET', `/items/cp_task_notices?filter[contract][_eq]=${contract.id}&limit=-1`);
	await ok('production', 'PATCH', `/items/cp_task_notices/${notices.find((n: any) => n.department === 'production').id}`, {
		acknowledged_at: new Date().toISOString(),
	});

	// CR-14: a quantity change (new work order), then a structure change (round 2).
	quantityChange = await ok('sales', 'POST', '/items/cp_changes', {
		contract: contract.id,
		kind: 'quantity',
		description: `数量由 1000 改为 1500 只 ${SCRIPT}`,
		customer_consent_at: new Date().toISOString(),
	});
	structureChange = await ok('sales', 'POST', '/items/cp_changes', {
		contract: contract.id,
		kind: 'structure',
		description: '增加内衬隔板',
		customer_consent_at: new Date().toISOString(),
	});
	// The supervising leader's approval re-opens the review (CR-14, Doc 1 4.6 c).
	await ok('gm', 'PATCH', `/items/cp_changes/${structureChange.id}`, { status: 'approved' });
	const r2 = await reviewLines(contract.id, 2);
	// An administrator signs the quality line in Quality's name.
	await ok('admin', 'PATCH', `/items/cp_review_lines/${r2.quality.id}`, approval(r2.quality, '检验标准不变'));

	// CR-15: a sample with its inspection.
	sample = await ok('sales', 'POST', '/items/cp_samples', {
		code: uid('YP'),
		kind: 'sample',
		customer: customer.id,
		contract: contract.id,
		parameters: '粘合温度 180℃',
	});
	await ok('sales', 'PATCH', `/items/cp_samples/${sample.id}`, { status: 'in_progress' });
	await ok('quality', 'PATCH', `/items/cp_samples/${sample.id}`, {
		status: 'inspected',
		inspection_result: 'pass',
		inspection_report: `耐压 5600 N,合格 ${SCRIPT}`,
	});

	// PR-1: a tooling item and a personal data item of this customer.
	tooling = await ok('warehouse', 'POST', '/items/cp_property', {
		code: uid('CP-M'),
		name: '纸箱模切版',
		kind: 'tooling',
		customer: customer.id,
		serial_no: uid('SN'),
		quantity: 1,
		unit: '套',
		scope: '我方保管',
	});
	await ok('warehouse', 'POST', `/cp/property/${tooling.id}/events`, { type: 'receipt', quantity: 1, to_location: '顾客财产专区 A-01' });
	personal = await ok('sales', 'POST', '/items/cp_property', {
		code: uid('CP-P'),
		name: '顾客联系人名单',
		kind: 'personal_data',
		customer: customer.id,
		quantity: 1,
		unit: '份',
		scope: '仅用于联系',
	});
});

afterAll(async () => {
	await ok('admin', 'PATCH', '/items/cp_settings', { company_name: savedCompany });
	await database().destroy();
});

describe('X-1 contract review forms', () => {
	it('CR-1..CR-7 review form: header, lines, requirements, current round with aspects and admin acting, earlier round, discrepancy, escaped text', async () => {
		const html = await form('quality', `/cp/contracts/${contract.id}/review-form`);
		for (const s of [
			'标书/合同评审单',
			'Bid / Contract Review Form',
			contract.code,
			'出口纸箱年度合同',
			CUSTOMER_NAME,
			'合同 Contract',
			'书面 Written',
			'常规合同 Regular',
			'change',
			'五层瓦楞纸箱',
			'600x400x300',
			'1000 只',
			'GB 6543-2008',
			'耐压强度 ≥ 5000 N',
			'顾客明示 Stated',
		]) {
			expect(html, s).toContain(s);
		}
		// Round 2 (after the structure change) is current: its departments, the admin signature.
		expect(html).toContain('第 2 轮 Round 2');
		expect(html).toContain('质量部 Quality');
		expect(html).toContain('研发部 Technical / R&amp;D');
		expect(html).toContain('检验标准不变');
		expect(html).toMatch(/是 Yes: 质量部 Quality/);
		expect(html).toContain('√ 质量要求、验收标准');
		expect(html).toContain('□ 结构 Structure');
		// Round 1 is summarised with its decisions and the escaped opinion stays out of the summary.
		expect(html).toMatch(/<td>1<\/td><td>评审 Review<\/td><td class="text">[^<]*生产部 Production: 同意 Approved/);
		expect(html).toContain('§3 材质');
		expect(html).toContain(`K=A 纸板交期 6 周 ${ESCAPED}`);
		// Signatures from the audit trail: submitted by Sales, review completed, signed.
		expect(html).toMatch(/提交评审 Submitted for review<\/td><td>[^<]+<\/td><td>市场部 Sales<\/td><td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/td>/);
		expect(html).toContain('评审完成 Review completed');
		expect(html).toContain('合同签订 Contract signed');
		// CR-6, CR-11: the round-1 conclusion by the sales manager and the sales VP's signature are on the trail;
		// the signature for the company names the deputy GM's user (the default sales VP).
		expect(html).toContain('审核结论签署 Review conclusion signed');
		expect(html).toMatch(/销售副总经理代表公司签订 Signed for the company by the sales VP<\/th><td>Deputy 副总经理<\/td>/);
	});

	it('CR-5 discrepancy form: clause, problem, raised by, contact record, Sales verification, closing sign-off', async () => {
		const html = await form('production', `/cp/discrepancies/${discrepancy.id}/form`);
		for (const s of [
			'合同不一致问题处理单',
			contract.code,
			CUSTOMER_NAME,
			'§3 材质',
			`K=A 纸板交期 6 周 ${ESCAPED}`,
			'请顾客接受 K=B',
			'采购部 Purchasing',
			'顾客同意 K=B 纸板',
			'2026-11-20 14:00 电话 李经理',
			'已确认关闭 Closed',
		]) {
			expect(html, s).toContain(s);
		}
		const d = await ok('admin', 'GET', `/items/cp_discrepancies/${discrepancy.id}`);
		expect(d.resolved_by).toBe(cp().users.sales.id);
		expect(html).toMatch(/销售核实人 Verified by \(Sales\)<\/th><td>[^<]+<\/td>/);
		expect(html).toMatch(/确认人 Closed by<\/th><td>[^<]+<\/td>/);
		expect(html).toMatch(/状态 Status → 已处理 Resolved<\/td><td>[^<]+<\/td><td>市场部 Sales<\/td>/);
		expect(html).toMatch(/状态 Status → 已确认关闭 Closed<\/td><td>[^<]+<\/td><td>采购部 Purchasing<\/td>/);
	});

	it('CR-10 order confirmation record', async () => {
		const html = await form('sales', `/cp/contracts/${contract.id}/order-confirmation`);
		expect(html).toContain('订单确认记录');
		expect(html).toContain(`李经理 10:15 来电确认 1000 只 ${ESCAPED}`);
		expect(html).toContain('传真 Fax');
		expect(html).toContain('李经理 021-5555');
		expect(html).toMatch(/顾客确认时间 Customer confirmed at<\/th><td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/td>/);
	});

	it('CR-13 task notice: each receiving department, acknowledged or not', async () => {
		const html = await form('warehouse', `/cp/contracts/${contract.id}/task-notice`);
		expect(html).toContain('销售转生产任务通知单');
		expect(html).toContain('五层瓦楞纸箱');
		expect(html).toMatch(/<td>生产部 Production<\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>[^<]+<\/td><td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/td>/);
		for (const d of ['采购部 Purchasing', '质量部 Quality', '仓库 Warehouse'])
			expect(html).toMatch(new RegExp(`<td>${d}</td><td>[^<]*</td><td>[^<]*</td><td>未签收 Not acknowledged</td>`));
	});

	it('CR-14 change notice: kind, description, consent, consequence, affected departments', async () => {
		const html = await form('technical', `/cp/changes/${quantityChange.id}/notice`);
		for (const s of [
			'合同变更通知单',
			contract.code,
			'数量 Quantity',
			`数量由 1000 改为 1500 只 ${ESCAPED}`,
			'重下工单 New work order',
			'生产部 Production',
			'仓库 Warehouse',
		])
			expect(html, s).toContain(s);
		expect(html).toMatch(/顾客书面同意 Customer written consent<\/th><td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/td>/);
		const structure = await form('technical', `/cp/changes/${structureChange.id}/notice`);
		expect(structure).toContain('重新评审 New review');
		expect(structure).toContain('研发部 Technical / R&amp;D');
	});

	it("CR-14 a termination notice carries both parties' signatures", async () => {
		const c = await ok('sales', 'POST', '/items/cp_contracts', {
			code: uid('HT'),
			title: '终止测试',
			kind: 'contract',
			channel: 'written',
			class: 'regular_in_stock',
			customer: customer.id,
		});
		await ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, line_no: 1, contract: c.id });
		await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' });
		for (const [dept, line] of Object.entries(await reviewLines(c.id)))
			await ok(
				dept,
				'PATCH',
				`/items/cp_review_lines/${(line as any).id}`,
				approval(line as any, dept === 'warehouse' ? '现货 1000 只确认无误' : '出库单已填写'),
			);
		// CR-7 (Doc 3 4.2.2.5): the in-stock lane's review record is the outbound slip signed by Sales and the warehouse keeper.
		const slip = await form('quality', `/cp/contracts/${c.id}/outbound-slip`);
		for (const s of ['出库单', 'Outbound Slip', '五层瓦楞纸箱', '600x400x300', '1000 只', '现货 1000 只确认无误']) expect(slip, s).toContain(s);
		expect(slip).toMatch(/销售处业务主办 Sales<\/th><td>Sales 市场部<\/td>/);
		expect(slip).toMatch(/仓库保管员确认 Warehouse keeper confirmed<\/th><td>Warehouse 仓库<\/td>/);
		expect((await signContract(c.id)).status).toBe(200);
		const t = await ok('sales', 'POST', '/items/cp_changes', {
			contract: c.id,
			kind: 'termination',
			description: '顾客取消订单',
			customer_consent_at: new Date().toISOString(),
			signed_by_customer: true,
			signed_by_company: true,
		});
		// In effect once approved, confirmed by the customer and signed by the market head (CR-14).
		await ok('gm', 'PATCH', `/items/cp_changes/${t.id}`, { status: 'approved' });
		await ok('sales', 'PATCH', `/items/cp_changes/${t.id}`, {
			status: 'confirmed',
			customer_confirmed_by: '顾客 张三',
			customer_confirmed_at: new Date().toISOString(),
			customer_confirmation_method: 'signed_notice',
			confirmation_record: '双方在原合同上签字',
		});
		await ok('sales', 'PATCH', `/items/cp_changes/${t.id}`, { status: 'done' });
		const html = await form('quality', `/cp/changes/${t.id}/notice`);
		expect(html).toContain('终止签字 Termination signatures');
		expect(html).toMatch(/顾客签字 Signed by customer<\/th><td>是 Yes<\/td>/);
		expect(html).toMatch(/公司签字 Signed by company<\/th><td>是 Yes<\/td>/);
		expect(html).toContain('已终止 Terminated');
	});

	it('CR-15 sample inspection report', async () => {
		const html = await form('finance', `/cp/samples/${sample.id}/inspection-report`);
		for (const s of [
			'样品检验报告',
			sample.code,
			CUSTOMER_NAME,
			contract.code,
			'粘合温度 180℃',
			'合格 Pass',
			`耐压 5600 N,合格 ${ESCAPED}`,
			'已检验 Inspected',
		])
			expect(html, s).toContain(s);
		expect(html).toMatch(/封样 Sealed reference sample<\/th><td>否 No<\/td>/);
		expect(html).toMatch(/状态 Status → 已检验 Inspected<\/td><td>[^<]+<\/td><td>质量部 Quality<\/td>/);
	});

	it('X-1 refuses without login (401) and an unknown or malformed record (403/404)', async () => {
		const paths = [
			`/cp/contracts/${contract.id}/review-form`,
			`/cp/discrepancies/${discrepancy.id}/form`,
			`/cp/contracts/${contract.id}/order-confirmation`,
			`/cp/contracts/${contract.id}/task-notice`,
			`/cp/changes/${quantityChange.id}/notice`,
			`/cp/samples/${sample.id}/inspection-report`,
			`/cp/property/register?customer=${customer.id}`,
			`/cp/evidence-pack?from=2026-01-01&to=2026-01-31`,
		];
		for (const p of paths) expect((await http(null, 'GET', p)).status, p).toBe(401);
		expect((await http('quality', 'GET', '/cp/contracts/00000000-0000-4000-8000-000000000000/review-form')).status).toBe(403);
		const bad = await http('quality', 'GET', '/cp/contracts/not-a-uuid/review-form');
		expect(bad.status).toBe(404);
		expect(bad.code).toBe('CP_INVALID_VALUE');
	});
});

describe('X-1 customer property register (PR-1, PR-5)', () => {
	it("lists the customer's items with status, location and next check; personal data only for Sales and Quality", async () => {
		const sales = await form('sales', `/cp/property/register?customer=${customer.id}`);
		expect(sales).toContain('顾客财产登记表');
		expect(sales).toContain(CUSTOMER_NAME);
		expect(sales).toMatch(
			new RegExp(`<td>${tooling.code}</td><td>纸箱模切版</td><td>工装/模具 Tooling</td>.*<td>已接收 Received</td><td>顾客财产专区 A-01</td>`),
		);
		expect(sales).toContain(personal.code);
		expect(sales).toContain('2 项 items');
		const row = await database()('cp_property').where('id', tooling.id).first();
		if (row.next_check_due) expect(sales).toMatch(/<td>\d{4}-\d{2}-\d{2}<\/td><\/tr>/);

		const warehouse = await form('warehouse', `/cp/property/register?customer=${customer.id}`);
		expect(warehouse).toContain(tooling.code);
		expect(warehouse).not.toContain(personal.code);
		expect(warehouse).not.toContain('顾客联系人名单');
		expect(warehouse).toContain('1 项 items');
	});
});

// ------------------------------------------------------------------ evidence pack

/** CSV lines after the header; the pack's values carry no line breaks in these columns' fields used here. */
function csvRows(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	const s = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < s.length; i++) {
		const ch = s[i]!;
		if (quoted) {
			if (ch === '"' && s[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else if (ch !== '\r') field += ch;
	}
	if (field || row.length) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

const apiCount = async (collection: string, filter: Record<string, unknown>) => {
	const q = new URLSearchParams({ filter: JSON.stringify(filter), 'aggregate[count]': '*' });
	const r = await ok('admin', 'GET', `/items/${collection}?${q}`);
	return Number(r[0].count);
};

describe('X-1 evidence pack (ISO 9001 8.2, 8.5.3, 9.1.2)', () => {
	it('is for admin, GM, deputy GM and Quality only, and needs a valid period', async () => {
		const today = DateTime.now().setZone(ZONE).toISODate()!;
		const r = await http('sales', 'GET', `/cp/evidence-pack?from=${today}&to=${today}`);
		expect(r.status).toBe(403);
		expect(r.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect((await http('production', 'GET', `/cp/evidence-pack?from=${today}&to=${today}`)).status).toBe(403);
		const bad = await http('quality', 'GET', `/cp/evidence-pack?from=2026-13-01&to=${today}`);
		expect(bad.status).toBe(400);
		expect(bad.code).toBe('CP_INVALID_VALUE');
		expect(bad.body.errors[0].extensions.field).toBe('from');
		expect((await http('quality', 'GET', `/cp/evidence-pack?from=${today}&to=2020-01-01`)).code).toBe('CP_INVALID_VALUE');
	});

	it('streams a zip whose CSVs match the API counts for the period, with the filled forms, PDFs and a README', async () => {
		// Worked example: the complaint was received on Tuesday 2026-11-03 at 09:30 in Shanghai,
		// 01:30 UTC. The pack runs from that local day to today (Shanghai), so it holds the
		// complaint and the records this file made today, whatever the hour the test runs at.
		const complaint = await ok('sales', 'POST', '/items/cp_complaints', {
			customer: customer.id,
			channel: 'phone',
			summary: uid('纸箱受潮'),
			description: `冷库塌箱 ${SCRIPT}`,
			received_at: '2026-11-03T01:30:00.000Z',
		});
		const from = '2026-11-03';
		const to = DateTime.now().setZone(ZONE).toISODate()!;
		// The company's days: Shanghai midnight is 16:00 UTC of the day before.
		const start = '2026-11-02T16:00:00.000Z';
		const end = DateTime.fromISO(to, { zone: ZONE }).plus({ days: 1 }).toUTC().toISO()!;
		const inDay = (field: string) => ({ _and: [{ [field]: { _gte: start } }, { [field]: { _lt: end } }] });

		const res = await fetch(`${cp().url}/cp/evidence-pack?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${await token('quality')}` } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/zip');
		expect(res.headers.get('content-disposition')).toContain(`evidence-pack_${from}_${to}.zip`);
		const bytes = Buffer.from(await res.arrayBuffer());
		// CP_FORMS_DUMP=/path.zip keeps the pack for a look by a person.
		if (process.env.CP_FORMS_DUMP) writeFileSync(process.env.CP_FORMS_DUMP, bytes);
		const zip = unzip(bytes);

		const expected: Record<string, number> = {
			'contract_reviews.csv': await apiCount('cp_review_lines', inDay('date_created')),
			'discrepancies.csv': await apiCount('cp_discrepancies', inDay('date_created')),
			'changes.csv': await apiCount('cp_changes', inDay('date_created')),
			'complaints.csv': await apiCount('cp_complaints', inDay('received_at')),
			'actions.csv': await apiCount('cp_actions', inDay('date_created')),
			'surveys.csv': await apiCount('cp_communications', { _and: [{ type: { _eq: 'survey' } }, inDay('date_created')] }),
			// Quality sees personal data, so the whole register.
			'property_register.csv': await apiCount('cp_property', {}),
			'property_events.csv': await apiCount('cp_property_events', inDay('date_created')),
		};
		for (const [file, n] of Object.entries(expected)) {
			const buf = zip.get(file);
			expect(buf, file).toBeTruthy();
			expect(buf!.subarray(0, 3).toString('hex'), `${file} BOM`).toBe('efbbbf');
			const rows = csvRows(buf!.toString('utf8'));
			expect(rows.length - 1, file).toBe(n);
		}
		expect(expected['contract_reviews.csv']).toBeGreaterThanOrEqual(7);
		expect(expected['complaints.csv']).toBeGreaterThanOrEqual(1);
		expect(csvRows(zip.get('complaints.csv')!.toString('utf8')).some((r) => r.includes(complaint.code))).toBe(true);

		// Concrete rows: the production sign-off of round 1 and the discrepancy.
		const reviews = csvRows(zip.get('contract_reviews.csv')!.toString('utf8'));
		const head = reviews[0]!;
		const col = (name: string) => head.indexOf(name);
		const prod = reviews.find((r) => r[col('contract_code')] === contract.code && r[col('round')] === '1' && r[col('department')] === 'production')!;
		expect(prod, 'production line of round 1').toBeTruthy();
		expect(prod[col('customer')]).toBe(CUSTOMER_NAME);
		expect(prod[col('decision')]).toBe('approved');
		expect(prod[col('opinion')]).toBe(`产能满足 ${SCRIPT}`);
		expect(prod[col('signed_by')]).not.toBe('');
		const adminLine = reviews.find((r) => r[col('contract_code')] === contract.code && r[col('round')] === '2' && r[col('department')] === 'quality')!;
		expect(adminLine[col('signed_as_admin')]).toBe('yes');
		const disc = csvRows(zip.get('discrepancies.csv')!.toString('utf8'));
		expect(disc.some((r) => r.includes('§3 材质') && r.includes('closed') && r.includes('purchasing'))).toBe(true);
		const register = csvRows(zip.get('property_register.csv')!.toString('utf8'));
		expect(register.some((r) => r[0] === personal.code)).toBe(true);

		// Filled forms for every contract reviewed and complaint received in the period.
		const review = zip.get(`forms/contract-review/${contract.code}.html`)!.toString('utf8');
		expect(review).toContain('标书/合同评审单');
		expect(review).toContain(CUSTOMER_NAME);
		expect(review).not.toContain('<script>');
		const complaintForm = zip.get(`forms/complaints/${complaint.code}.html`)!.toString('utf8');
		expect(complaintForm).toContain('顾客信息反馈处理单');
		expect(complaintForm).toContain(`冷库塌箱 ${ESCAPED}`);
		expect([...zip.keys()].some((k) => k.startsWith('forms/discrepancies/') && k.endsWith('.html'))).toBe(true);
		expect([...zip.keys()].some((k) => k.startsWith('forms/changes/') && k.endsWith('.html'))).toBe(true);
		// Issue 14: the pack reads its forms in batches; each is the same page as its printable route (one record's reads).
		expect(review).toBe(await form('quality', `/cp/contracts/${contract.id}/review-form`));
		expect(complaintForm).toBe(await form('quality', `/cp/complaints/${complaint.id}/form`));
		const entry = (folder: string, id: string) =>
			[...zip.entries()].find(([k]) => k.startsWith(`forms/${folder}/`) && k.includes(`_${String(id).slice(0, 8)}`))?.[1]?.toString('utf8');
		expect(entry('discrepancies', discrepancy.id)).toBe(await form('quality', `/cp/discrepancies/${discrepancy.id}/form`));
		expect(entry('changes', quantityChange.id)).toBe(await form('quality', `/cp/changes/${quantityChange.id}/notice`));

		// PDFs with the Chinese font embedded (ToUnicode maps 华 U+534E).
		for (const name of [`pdf/contract-review/${contract.code}.pdf`, `pdf/complaints/${complaint.code}.pdf`]) {
			const pdf = zip.get(name);
			expect(pdf, name).toBeTruthy();
			expect(pdf!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
			const text = pdf!.toString('latin1');
			expect(text).toMatch(/\/FontFile3?/);
			const streams = [...text.matchAll(/stream\r?\n([\s\S]*?)endstream/g)].map((m) => {
				try {
					return inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
				} catch {
					return '';
				}
			});
			expect(
				streams.some((s) => /534e/i.test(s)),
				`${name} maps 华`,
			).toBe(true);
		}

		const readme = zip.get('README.txt')!.toString('utf8');
		expect(readme).toContain(`${from} .. ${to}`);
		expect(readme).toContain('8.5.3');
		expect(readme).toContain(`contract_reviews.csv`);
		expect(readme).toContain(`forms/contract-review/${contract.code}.html`);
		expect(readme).toContain('pdf/');
	});

	it('leaves personal data out of the register for the GM (PR-1)', async () => {
		const today = DateTime.now().setZone(ZONE).toISODate()!;
		const res = await fetch(`${cp().url}/cp/evidence-pack?from=${today}&to=${today}`, { headers: { authorization: `Bearer ${await token('gm')}` } });
		expect(res.status).toBe(200);
		const zip = unzip(Buffer.from(await res.arrayBuffer()));
		const register = csvRows(zip.get('property_register.csv')!.toString('utf8'));
		expect(register.some((r) => r[0] === tooling.code)).toBe(true);
		expect(register.some((r) => r[0] === personal.code)).toBe(false);
	});
});

// ------------------------------------------------------------------ issue 14: background export and sample

/** The pack's entries as the README and the CSV list name them (written here, not read from the bundle). */
const PACK_CSVS = [
	'contract_reviews.csv',
	'discrepancies.csv',
	'changes.csv',
	'complaints.csv',
	'actions.csv',
	'surveys.csv',
	'property_register.csv',
	'property_events.csv',
];
const FORM_FOLDERS = ['forms/contract-review/', 'forms/discrepancies/', 'forms/changes/', 'forms/complaints/', 'pdf/contract-review/', 'pdf/complaints/'];

async function pack(who: string, query: string): Promise<Map<string, Buffer>> {
	const res = await fetch(`${cp().url}/cp/evidence-pack?${query}`, { headers: { authorization: `Bearer ${await token(who)}` } });
	expect(res.status, query).toBe(200);
	return unzip(Buffer.from(await res.arrayBuffer()));
}

// Up to 5 minutes: the whole suite's records of the period, PDFs included, on a loaded machine.
async function waitForExport(who: string, id: string) {
	for (let i = 0; i < 1200; i++) {
		const r = await ok(who, 'GET', `/cp/evidence-pack/exports/${id}`);
		if (r.status !== 'running') return r;
		await new Promise((res) => setTimeout(res, 250));
	}
	throw new Error(`export ${id} still running`);
}

describe('issue 14 evidence pack: background export into the file library, and a sample', () => {
	const today = () => DateTime.now().setZone(ZONE).toISODate()!;

	it('X-1 the background export is for admin, GM, deputy GM and Quality only (403 CP_NOT_DEPARTMENT_MEMBER), same period and sample checks', async () => {
		const sales = await http('sales', 'POST', '/cp/evidence-pack/exports', { from: today(), to: today() });
		expect(sales.status).toBe(403);
		expect(sales.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		const production = await http('production', 'POST', '/cp/evidence-pack/exports', { from: today(), to: today() });
		expect([production.status, production.code]).toEqual([403, 'CP_NOT_DEPARTMENT_MEMBER']);
		expect((await http('sales', 'GET', '/cp/evidence-pack/exports')).status).toBe(403);
		const bad = await http('quality', 'POST', '/cp/evidence-pack/exports', { from: '2026-13-01', to: today() });
		expect([bad.status, bad.code, bad.body.errors[0].extensions.field]).toEqual([400, 'CP_INVALID_VALUE', 'from']);
		const badSample = await http('quality', 'GET', `/cp/evidence-pack?from=${today()}&to=${today()}&sample=0`);
		expect([badSample.status, badSample.code, badSample.body.errors[0].extensions.field]).toEqual([400, 'CP_INVALID_VALUE', 'sample']);
		expect((await http('quality', 'POST', '/cp/evidence-pack/exports', { from: today(), to: today(), sample: 'x' })).code).toBe('CP_INVALID_VALUE');
	});

	it('X-1 writes the same entries as the direct pack into a file the requester reads, notifies the requester, and records it in the audit trail', async () => {
		const from = '2026-11-03';
		const to = today();
		const direct = await pack('quality', `from=${from}&to=${to}`);

		const started = await http('quality', 'POST', '/cp/evidence-pack/exports', { from, to });
		expect(started.status).toBe(202);
		expect(['running', 'done']).toContain(started.data.status);
		expect(started.data.total).toBeGreaterThan(0);
		const id = started.data.id;
		// Only the requester (or an admin) sees the export.
		expect((await http('gm', 'GET', `/cp/evidence-pack/exports/${id}`)).status).toBe(404);

		const done = await waitForExport('quality', id);
		expect(done.status, JSON.stringify(done.error)).toBe('done');
		expect(done.percent).toBe(100);
		expect(done.done).toBe(done.total);
		expect(done.file_info.filename_download).toBe(`evidence-pack_${from}_${to}.zip`);
		expect((await ok('quality', 'GET', '/cp/evidence-pack/exports')).map((e: any) => e.id)).toContain(id);

		// The file is in Directus's file library, readable by the requester.
		const meta = await ok('quality', 'GET', `/files/${done.file_info.id}?fields=id,type,filesize,uploaded_by`);
		expect(meta.type).toBe('application/zip');
		expect(meta.uploaded_by).toBe((await ok('quality', 'GET', '/users/me?fields=id')).id);
		const res = await fetch(`${cp().url}/assets/${done.file_info.id}?download`, { headers: { authorization: `Bearer ${await token('quality')}` } });
		expect(res.status).toBe(200);
		const bytes = Buffer.from(await res.arrayBuffer());
		expect(bytes.length).toBe(Number(meta.filesize));
		const file = unzip(bytes);

		const names = (z: Map<string, Buffer>) => [...z.keys()].sort();
		expect(names(file)).toEqual(names(direct));
		for (const csv of PACK_CSVS) expect(file.has(csv), csv).toBe(true);
		expect(file.has('README.txt')).toBe(true);
		expect(file.has(`forms/contract-review/${contract.code}.html`)).toBe(true);
		expect(file.has(`pdf/contract-review/${contract.code}.pdf`)).toBe(true);
		// The same rows as the direct pack, except the register: the file is readable by all
		// staff, so it leaves out the personal-data lines that Quality's direct pack holds (PR-1).
		for (const csv of PACK_CSVS.filter((c) => c !== 'property_register.csv')) {
			expect(csvRows(file.get(csv)!.toString('utf8')).length, csv).toBe(csvRows(direct.get(csv)!.toString('utf8')).length);
		}
		const register = (z: Map<string, Buffer>) => csvRows(z.get('property_register.csv')!.toString('utf8')).map((r) => r[0]);
		expect(register(direct)).toContain(personal.code);
		expect(register(file)).not.toContain(personal.code);
		expect(register(file)).toContain(tooling.code);

		// A Directus notification to the requester, linking the file.
		const notes = await ok(
			'admin',
			'GET',
			`/notifications?filter[recipient][_eq]=${meta.uploaded_by}&filter[item][_eq]=${done.file_info.id}&fields=subject,collection,message`,
		);
		expect(notes).toHaveLength(1);
		expect(notes[0].collection).toBe('directus_files');
		expect(notes[0].subject).toContain(`${from} .. ${to}`);
		expect(notes[0].message).toContain(`/admin/files/${done.file_info.id}`);

		// The audit trail: who started it, and that it finished with the file.
		const trail = await ok('admin', 'GET', `/items/cp_audit?filter[item][_eq]=${id}&sort=id&fields=action,user,department,data`);
		expect(trail[0].action).toBe('evidence_export_started');
		expect(trail[0].user).toBe(meta.uploaded_by);
		expect(trail[0].department).toContain('quality');
		const last = trail[trail.length - 1];
		expect(last.action).toBe('evidence_export_done');
		expect((typeof last.data === 'string' ? JSON.parse(last.data) : last.data).file).toBe(done.file_info.id);
	}, 360_000);

	it('X-1 a sample holds at most N records of each kind, at once', async () => {
		const from = '2026-11-03';
		const to = today();
		const full = await pack('quality', `from=${from}&to=${to}`);
		// The period has more than one record of several kinds, so the sample is really cut.
		expect(csvRows(full.get('contract_reviews.csv')!.toString('utf8')).length - 1).toBeGreaterThanOrEqual(7);
		const sample = await pack('quality', `from=${from}&to=${to}&sample=1`);
		for (const csv of PACK_CSVS) {
			const rows = csvRows(sample.get(csv)!.toString('utf8')).length - 1;
			expect(rows, csv).toBeLessThanOrEqual(1);
			expect(rows, csv).toBe(Math.min(1, csvRows(full.get(csv)!.toString('utf8')).length - 1));
		}
		for (const folder of FORM_FOLDERS) {
			const n = [...sample.keys()].filter((k) => k.startsWith(folder)).length;
			expect(n, folder).toBe(Math.min(1, [...full.keys()].filter((k) => k.startsWith(folder)).length));
		}
		expect(sample.get('README.txt')!.toString('utf8')).toContain('Sample: at most 1 records of each kind');
		const res = await fetch(`${cp().url}/cp/evidence-pack?from=${from}&to=${to}&sample=1`, { headers: { authorization: `Bearer ${await token('quality')}` } });
		expect(res.headers.get('content-disposition')).toContain(`evidence-pack-sample-1_${from}_${to}.zip`);
		await res.arrayBuffer();
	});
});
