// Demo history of the contracts created by seeds/demo.mjs: each one is walked to another stage
// of the review (CR-2..CR-14) through real writes by the department users, so the review
// lines carry real signatures and the audit trail real names. Idempotent: a contract that
// left 'draft' is left alone.
import { connect } from '../scripts/lib/api.mjs';

export async function seedContractsDemo(api, users, { log = console.log } = {}) {
	const as = {};
	for (const u of users) as[u.department] = await connect({ url: api.url, email: u.email, password: u.password });
	const byCode = async (code) => (await api.get(`/items/cp_contracts?filter[code][_eq]=${encodeURIComponent(code)}&limit=1`))[0];
	const lines = async (id) => {
		const c = await api.get(`/items/cp_contracts/${id}?fields=review_round`);
		return api.get(`/items/cp_review_lines?filter[contract][_eq]=${id}&filter[round][_eq]=${c.review_round}&limit=-1`);
	};
	const sign = async (id, only, opinion = '同意,可以满足要求 / Agreed, can be met') => {
		for (const l of await lines(id)) {
			if (l.decision !== 'pending' || (only && !only.includes(l.department))) continue;
			// CR-3/CR-4: each aspect of the line's own checklist confirmed explicitly, with the opinion.
			const checklist = (typeof l.checklist === 'string' ? JSON.parse(l.checklist) : (l.checklist ?? [])).map((a) => ({ key: a.key, checked: true }));
			await as[l.department].patch(`/items/cp_review_lines/${l.id}`, { decision: 'approved', opinion, checklist });
		}
	};
	// CR-6 (Doc 2 4.3.1): the sales department manager signs the review conclusion, which completes the review.
	const conclude = (id, conclusion = '各部门评审通过，同意签订 / All departments agree: sign') => as.sales.patch(`/items/cp_contracts/${id}`, { conclusion });
	// CR-11 (Doc 3 4.3.1): the sales VP (by default the deputy GM) signs the contract for the company.
	const signForCompany = (id) => as.deputy_gm.patch(`/items/cp_contracts/${id}`, { status: 'signed' });
	const submit = (id) => as.sales.patch(`/items/cp_contracts/${id}`, { status: 'in_review' });
	let walked = 0;

	// CR-14 (Doc 1 4.6): the customer asks for 24000 instead of 20000 boxes on line 1. Sales records
	// it with the customer's written consent, the deputy GM approves, the customer confirms the
	// change notice by fax, the market department head signs: the line becomes 24000 (20000 kept
	// on the notice) and production, purchasing and the warehouse get a new task notice. A later
	// delivery date change waits for the customer's confirmation; R&D asks for a design change
	// that does not affect the customer.
	const walkChanges = async (contractId) => {
		const consent = new Date(Date.now() - 2 * 86400e3).toISOString();
		const qty = await as.sales.post('/items/cp_changes', {
			contract: contractId,
			kind: 'quantity',
			description: '顾客来函:第 1 行数量由 20000 只增加到 24000 只,合同金额相应调整',
			customer_consent_at: consent,
			consent_by: '王经理(顾客采购部)',
			amendments: { lines: [{ line_no: 1, quantity: 24000 }], total_amount: 530000 },
		});
		await as.deputy_gm.patch(`/items/cp_changes/${qty.id}`, { status: 'approved', decision_note: '同意,生产部已确认产能' });
		await as.sales.patch(`/items/cp_changes/${qty.id}`, {
			status: 'confirmed',
			customer_confirmed_by: '王经理(顾客采购部)',
			customer_confirmed_at: new Date(Date.now() - 86400e3).toISOString(),
			customer_confirmation_method: 'fax',
			confirmation_record: '顾客传真回签合同变更通知单',
		});
		await as.sales.patch(`/items/cp_changes/${qty.id}`, { status: 'done' });

		const date = await as.sales.post('/items/cp_changes', {
			contract: contractId,
			kind: 'delivery_date',
			description: '顾客要求交货期推迟到 2027-01-10',
			customer_consent_at: consent,
			consent_by: '王经理(顾客采购部)',
			amendments: { delivery_date: '2027-01-10', lines: [{ line_no: 1, delivery_date: '2027-01-10' }] },
		});
		await as.gm.patch(`/items/cp_changes/${date.id}`, { status: 'approved', decision_note: '同意' });

		await as.technical.post('/items/cp_changes', {
			contract: contractId,
			kind: 'design',
			description: '模切刀版改进,外形尺寸和印刷不变(不影响顾客要求)',
		});
	};

	// Regular contract: reviewed, signed, task notice acknowledged by production, in production.
	const regular = await byCode('HT-2026-0001');
	if (regular?.status === 'draft') {
		await submit(regular.id);
		await sign(regular.id);
		await conclude(regular.id);
		await signForCompany(regular.id);
		const notices = await api.get(`/items/cp_task_notices?filter[contract][_eq]=${regular.id}&limit=-1`);
		for (const n of notices.filter((n) => ['production', 'purchasing'].includes(n.department))) {
			await as[n.department].patch(`/items/cp_task_notices/${n.id}`, { acknowledged_at: new Date().toISOString() });
		}
		await as.sales.patch(`/items/cp_contracts/${regular.id}`, { status: 'in_production' });
		await walkChanges(regular.id);
		walked++;
	}

	// Special major contract: in review, quality raised a discrepancy that sales is resolving.
	const special = await byCode('HT-2026-0002');
	if (special?.status === 'draft') {
		await submit(special.id);
		await sign(special.id, ['production', 'purchasing', 'technical']);
		await as.quality.post('/items/cp_discrepancies', {
			contract: special.id,
			clause: '第 5 条 检验标准',
			problem: '合同要求按 MT 312 检验,但未注明第三方检验机构和见证点',
			suggestion: '请顾客书面确认第三方检验机构及见证点',
		});
		walked++;
	}

	// Oral in-stock order of a new customer: the outbound slip signed by Sales and the warehouse keeper
	// completes the review (CR-7, Doc 3 4.2.2.5); it awaits the customer's written confirmation (CR-10).
	const oral = await byCode('DD-2026-0107');
	if (oral?.status === 'draft') {
		await submit(oral.id);
		await sign(oral.id, ['sales'], '出库单已填写：品名、规格、数量、价格 / Outbound slip filled in');
		await sign(oral.id, ['warehouse'], '现货 3000 只确认无误 / 3,000 in stock, confirmed');
		walked++;
	}

	// Tender (CR-9): the decision to bid (Sales, concluded by the sales manager), then the bid document
	// reviewed by every department of its route, the GM included because the company's rule makes a
	// bid of 1,000,000 or more major (CR-7); the sales manager concludes and the sales VP signs the bid.
	const tender = await byCode('TB-2026-0009');
	if (tender?.status === 'draft') {
		await submit(tender.id);
		await sign(tender.id, null, '招标文件已评审，澄清事项已记录，建议投标 / Tender reviewed, clarifications recorded: bid');
		await conclude(tender.id, '决定投标 / Decision: bid');
		await submit(tender.id);
		await sign(tender.id);
		await conclude(tender.id, '标书评审通过，同意投标 / Bid document reviewed: submit the bid');
		await signForCompany(tender.id);
		walked++;
	}
	log(`[seed] contracts: ${walked} walked through review`);
}
