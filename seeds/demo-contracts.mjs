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
			await as[l.department].patch(`/items/cp_review_lines/${l.id}`, { decision: 'approved', opinion });
		}
	};
	const submit = (id) => as.sales.patch(`/items/cp_contracts/${id}`, { status: 'in_review' });
	let walked = 0;

	// Regular contract: reviewed, signed, task notice acknowledged by production, in production.
	const regular = await byCode('HT-2026-0001');
	if (regular?.status === 'draft') {
		await submit(regular.id);
		await sign(regular.id);
		await as.sales.patch(`/items/cp_contracts/${regular.id}`, { status: 'signed' });
		const notices = await api.get(`/items/cp_task_notices?filter[contract][_eq]=${regular.id}&limit=-1`);
		for (const n of notices.filter((n) => ['production', 'purchasing'].includes(n.department))) {
			await as[n.department].patch(`/items/cp_task_notices/${n.id}`, { acknowledged_at: new Date().toISOString() });
		}
		await as.sales.patch(`/items/cp_contracts/${regular.id}`, { status: 'in_production' });
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

	// Oral order of a new customer: reviewed, awaiting the customer's written confirmation (CR-10).
	const oral = await byCode('DD-2026-0107');
	if (oral?.status === 'draft') {
		await submit(oral.id);
		await sign(oral.id);
		walked++;
	}

	// Tender: the decision to bid is reviewed; the bid document is in review (CR-9).
	const tender = await byCode('TB-2026-0009');
	if (tender?.status === 'draft') {
		await submit(tender.id);
		await sign(tender.id);
		await submit(tender.id);
		await sign(tender.id, ['sales']);
		walked++;
	}
	log(`[seed] contracts: ${walked} walked through review`);
}
