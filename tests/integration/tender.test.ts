// CR-9, CR-2: a tender is reviewed twice (Doc 1 4.2.3.2) and the bid is signed only after the
// bid document's own review, as each department's user over HTTP. A major special tender: the
// bid document takes the special route (Doc 3 4.2.2.7) plus the GM's approval (Doc 2 4.3.1).
import { describe, expect, it } from 'vitest';
import { database, http, ok, uid } from '../harness/client';
import { LINE, approval, signConclusion, signContract as signForCompany } from '../harness/fixtures';

const get = (id: string) => ok('admin', 'GET', `/items/cp_contracts/${id}`);

async function reviewLines(id: string) {
	const c = await get(id);
	const rows = await ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${id}&filter[round][_eq]=${c.review_round}&limit=-1`);
	return Object.fromEntries(rows.map((r: any) => [r.department, r]));
}

async function signRound(id: string, except: string[] = []) {
	for (const [dept, line] of Object.entries(await reviewLines(id))) {
		if (except.includes(dept)) continue;
		const r = await http(dept, 'PATCH', `/items/cp_review_lines/${(line as any).id}`, approval(line as any));
		expect(r.status, `${dept}: ${r.message}`).toBe(200);
	}
}

// CR-11: the sales VP signs the bid for the company (Doc 3 4.3.1).
const signContract = (id: string) => signForCompany(id);

async function majorSpecialBid() {
	const customer = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Customer ${uid('n')}`, is_new: false });
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('TB'),
		title: 'Tender: modified press frames',
		customer: customer.id,
		kind: 'bid',
		channel: 'tender',
		class: 'special',
		major: true,
	});
	await ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, line_no: 1, contract: c.id });
	return c;
}

describe('CR-9 CR-2 a bid is signed only after the bid document review', () => {
	it('CR-9 CR-2 a major special tender decided by Sales alone is refused signing (409, status unchanged); after the bid document round approved by every department, the GM included, it is signed', async () => {
		const c = await majorSpecialBid();
		expect((await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' })).status).toBe(200);
		expect((await get(c.id)).stage).toBe('tender_decision');
		expect(Object.keys(await reviewLines(c.id))).toEqual(['sales']);
		await signRound(c.id);
		// CR-6 / Doc 1 4.2.3.2: the decision to bid is concluded by the sales manager's signature.
		expect((await get(c.id)).status).toBe('in_review');
		expect((await signConclusion(c.id, '决定投标 Bid')).status).toBe(200);
		expect((await get(c.id)).status).toBe('reviewed');

		// The measured failure: signing after the Sales-only decision to bid.
		const early = await signContract(c.id);
		expect(early.status).toBe(409);
		expect(early.code).toBe('CP_REVIEW_INCOMPLETE');
		// The bid document (标书) review is named as the procedure names it, in the signer's language.
		expect(early.message).toMatch(/标书评审未完成|bid document/i);
		expect((await get(c.id)).status).toBe('reviewed');
		expect(Number((await database()('cp_task_notices').where('contract', c.id).count({ n: '*' }))[0]!.n)).toBe(0);

		// Stage 2: the bid document goes to the special route plus the GM.
		expect((await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' })).status).toBe(200);
		const second = await get(c.id);
		expect(second.stage).toBe('bid_document');
		expect(Object.keys(await reviewLines(c.id)).sort()).toEqual(['deputy_gm', 'gm', 'production', 'purchasing', 'quality', 'sales', 'technical']);

		// Every department but the GM: still in review, signing names what is missing.
		await signRound(c.id, ['gm']);
		expect((await get(c.id)).status).toBe('in_review');
		const withoutGm = await signContract(c.id);
		expect(withoutGm.status).toBe(409);
		expect(withoutGm.code).toBe('CP_REVIEW_INCOMPLETE');
		// In the signer's language (the sales VP, by default the deputy GM, reads English): the department by its name, never its key.
		expect(withoutGm.message).toMatch(/总经理|General Manager/);
		expect(withoutGm.message).not.toMatch(/\bgm\b|CR-\d/);

		await signRound(c.id, ['deputy_gm', 'production', 'purchasing', 'quality', 'sales', 'technical']);
		expect((await get(c.id)).status).toBe('in_review');
		expect((await signConclusion(c.id, '标书评审通过 Bid document reviewed')).status).toBe(200);
		expect((await get(c.id)).status).toBe('reviewed');
		const signed = await signContract(c.id);
		expect(signed.status, signed.message).toBe(200);
		expect((await get(c.id)).status).toBe('signed');
	});
});
