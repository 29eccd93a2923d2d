// CR-9, CR-2: a bid is signed only after the bid document itself was reviewed (Doc 1 4.2.3.2).
// Worked example: a major special tender. Stage 1, the decision to bid, is Sales's alone; stage 2,
// the bid document, takes the special route (Doc 3 4.2.2.7: production, purchasing, sales, chief
// engineer, quality, deputy GM) plus the GM's approval for a major contract (Doc 2 4.3.1).
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTES, type ContractLine } from '../../extensions/customer-processes/src/domain/contract-review/routes';
import {
	planContractTransition,
	type ContractRow,
	type ContractTransitionFacts,
} from '../../extensions/customer-processes/src/domain/contract-review/contract-plan';
import { catchError } from './catch-error';

const now = new Date('2026-11-20T08:00:00Z');
const sales = { userId: 'u-sales', departments: ['sales'], isAdmin: false, system: false };
// CR-11 (Doc 3 4.3.1): the sales VP signs for the company.
const salesVp = { userId: 'u-sales-vp', departments: ['deputy_gm'], isAdmin: false, system: false, signers: ['sales_vp'] };
const PRESS: ContractLine = { product: 'Hydraulic press frame', specification: 'HP-800 modified', material: 'Q345B', quantity: 2, unit_price: 380000 };
// Written out from the procedure text, not from the route table.
const BID_DOCUMENT_DEPARTMENTS = ['production', 'purchasing', 'sales', 'technical', 'quality', 'deputy_gm', 'gm'];

const bid = (fields: Partial<ContractRow>): ContractRow => ({
	id: 'b1',
	code: 'TB-1',
	title: 'Tender: press frames',
	customer: 'k1',
	kind: 'bid',
	class: 'special',
	major: true,
	channel: 'tender',
	status: 'reviewed',
	...fields,
});

type Line = { department: string; decision: 'approved' | 'pending' | 'rejected'; round: number };
const lines = (departments: string[], round: number, decision: Line['decision'] = 'approved'): Line[] =>
	departments.map((department) => ({ department, decision, round }));

function signing(contract: ContractRow, round: Line[], stage: string): ContractTransitionFacts {
	return {
		contract,
		payload: { status: 'signed' },
		to: 'signed',
		actor: salesVp,
		refuseOralOrders: false,
		round: { lines: round, discrepancies: [] },
		taskNoticeIssued: false,
		bidDocumentLines: stage === 'bid_document' ? round.map(({ department, decision }) => ({ department, decision })) : [],
		lines: [PRESS],
		customerIsNew: false,
		previousReviewedLines: [],
		routes: DEFAULT_ROUTES,
		now,
	};
}

describe('CR-9 CR-2 a bid is not signed before its bid document is reviewed', () => {
	it('CR-9 CR-2 a tender whose decision to bid Sales alone reviewed cannot be signed: 409 CP_REVIEW_INCOMPLETE naming the bid document review', () => {
		const decided = bid({ stage: 'tender_decision', review_round: 1, review_route: 'tender_decision' });
		const e = catchError(() => planContractTransition(signing(decided, lines(['sales'], 1), 'tender_decision')));
		expect(e.code).toBe('CP_REVIEW_INCOMPLETE');
		expect(e.status).toBe(409);
		expect(e.message).toMatch(/bid document/);
		expect(e.message).toMatch(/标书评审未完成/);
		// The approvals the route names are listed as missing, the deputy GM and the GM among them (CR-7).
		expect(e.message).toMatch(/副总经理/);
		expect(e.message).toMatch(/总经理 General Manager/);
	});

	it('CR-9 after the bid document round opens and every department of it approves, the bid is signed', () => {
		const resubmit = planContractTransition({
			...signing(bid({ stage: 'tender_decision', review_round: 1 }), lines(['sales'], 1), 'tender_decision'),
			payload: { status: 'in_review' },
			to: 'in_review',
			actor: sales,
		})!;
		expect(resubmit.update).toMatchObject({ status: 'in_review', stage: 'bid_document', review_round: 2, review_route: 'special+major' });
		expect(resubmit.reviewLines.map((l) => l.department).sort()).toEqual([...BID_DOCUMENT_DEPARTMENTS].sort());
		expect(resubmit.reviewLines.every((l) => l.stage === 'bid_document')).toBe(true);

		const reviewedBid = bid({ stage: 'bid_document', review_round: 2, review_route: 'special+major' });
		const plan = planContractTransition(signing(reviewedBid, lines(BID_DOCUMENT_DEPARTMENTS, 2), 'bid_document'))!;
		expect(plan.update).toMatchObject({ status: 'signed', signed_by: 'u-sales-vp' });
	});

	it('CR-9 CR-7 a bid document round without the GM approval of a major bid does not let it be signed', () => {
		const withoutGm = BID_DOCUMENT_DEPARTMENTS.filter((d) => d !== 'gm');
		const reviewedBid = bid({ stage: 'bid_document', review_round: 2 });
		const e = catchError(() => planContractTransition(signing(reviewedBid, lines(withoutGm, 2), 'bid_document')));
		expect(e.code).toBe('CP_REVIEW_INCOMPLETE');
		expect(e.message).toMatch(/pending for 总经理 General Manager/);
	});

	it('CR-9 an order or contract is not held by the bid rule', () => {
		const contract = bid({ kind: 'contract', class: 'regular', major: false, stage: null, review_round: 1 });
		const plan = planContractTransition(signing(contract, lines(['production', 'purchasing', 'sales'], 1), 'review'))!;
		expect(plan.update.status).toBe('signed');
	});
});
