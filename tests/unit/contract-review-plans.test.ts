// The contract review plans (CR-3..CR-7, CR-13, CR-14, X-2): what one write does, with worked
// examples from the procedures (Doc 1 4.2.3 review and discrepancies, Doc 3 4.2.2 routes by class,
// Doc 1 4.6 changes). Expected values are written out from the procedure text.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTES, type ContractLine } from '../../extensions/customer-processes/src/domain/contract-review/routes';
import {
	planContractTransition,
	planReviewCompletion,
	assertStatusTravelsAlone,
	type ContractRow,
	type ContractTransitionFacts,
} from '../../extensions/customer-processes/src/domain/contract-review/contract-plan';
import { lineChecklist, planSignLine, type ReviewLineRow } from '../../extensions/customer-processes/src/domain/contract-review/sign-line';
import { planDiscrepancyUpdate, type DiscrepancyRow } from '../../extensions/customer-processes/src/domain/contract-review/discrepancies';
import { planAcknowledgement } from '../../extensions/customer-processes/src/domain/contract-review/task-notices';
import { catchError } from './catch-error';

const now = new Date('2026-11-20T08:00:00Z');
const user = (departments: string[], isAdmin = false) => ({ userId: `u-${departments.join('-') || 'admin'}`, departments, isAdmin, system: false });
const sales = user(['sales']);

const CARTON: ContractLine = { product: 'Corrugated box', specification: '600x400x300', material: 'K=A', quantity: 1000, unit_price: 10 };

function draft(fields: Partial<ContractRow> = {}): ContractRow {
	return {
		id: 'c1',
		code: 'HT-1',
		title: 'Boxes',
		customer: 'k1',
		kind: 'contract',
		class: 'regular',
		status: 'draft',
		review_round: 0,
		channel: 'written',
		...fields,
	};
}

function facts(contract: ContractRow, to: string, extra: Partial<ContractTransitionFacts> = {}): ContractTransitionFacts {
	return {
		contract,
		payload: { status: to },
		to,
		actor: sales,
		refuseOralOrders: false,
		round: { lines: [], discrepancies: [] },
		taskNoticeIssued: false,
		lines: [CARTON],
		customerIsNew: false,
		previousReviewedLines: [],
		routes: DEFAULT_ROUTES,
		now,
		...extra,
	};
}

describe('CR-7 planContractTransition: submitting a draft opens its own round (Doc 3 4.2.2)', () => {
	it('CR-7 a regular contract not in stock goes to production, purchasing and sales (Doc 3 4.2.2.6), each line with its own checklist', () => {
		const plan = planContractTransition(facts(draft(), 'in_review'))!;
		expect(plan.update).toMatchObject({ status: 'in_review', review_round: 1, review_route: 'regular', reviewed_at: null });
		expect(plan.reviewLines.map((l) => l.department)).toEqual(['production', 'purchasing', 'sales']);
		const sales = plan.reviewLines.find((l) => l.department === 'sales')!;
		// Doc 1 4.2.2 a: the sales aspects are quantity, price, payment terms, qualifications, responsibilities.
		expect(sales.checklist.map((a) => a.key)).toEqual(['quantity', 'price', 'payment_terms', 'qualifications', 'responsibilities']);
		expect(sales.checklist.every((a) => a.checked === false)).toBe(true);
		expect(plan.audit).toEqual([
			{ collection: 'cp_contracts', item: 'c1', action: 'submitted', from_status: 'draft', to_status: 'in_review', data: { round: 1, route: 'regular' } },
		]);
	});

	it('CR-7 two drafts of different classes each get their own route (the batch case, record by record)', () => {
		const regular = planContractTransition(facts(draft({ id: 'a' }), 'in_review'))!;
		const special = planContractTransition(facts(draft({ id: 'b', class: 'special', review_round: 2, status: 'reviewed' }), 'in_review'))!;
		expect(regular.update.review_route).toBe('regular');
		// Doc 3 4.2.2.7: a special contract adds the chief engineer (technical), quality and the deputy GM.
		expect(special.update.review_route).toBe('special');
		expect(special.update.review_round).toBe(3);
		expect(special.reviewLines.map((l) => l.department).sort()).toEqual(['deputy_gm', 'production', 'purchasing', 'quality', 'sales', 'technical']);
		expect(special.reviewLines.every((l) => l.round === 3)).toBe(true);
	});

	it('CR-1 a contract without lines is not reviewed', () => {
		expect(catchError(() => planContractTransition(facts(draft(), 'in_review', { lines: [] }))).code).toBe('CP_REQUIRED_FIELDS_MISSING');
	});

	it('CR-6 nobody sets reviewed by hand; CR-14 a signed contract goes back to review only through a change', () => {
		expect(catchError(() => planContractTransition(facts(draft({ status: 'in_review', review_round: 1 }), 'reviewed'))).code).toBe('CP_SYSTEM_ONLY');
		expect(catchError(() => planContractTransition(facts(draft({ status: 'signed', review_round: 1 }), 'in_review'))).code).toBe('CP_CHANGE_NOT_ALLOWED');
	});

	it('CR-13 signing a reviewed contract issues the task notice to production, purchasing, quality and warehouse, once', () => {
		const reviewed = draft({ status: 'reviewed', review_round: 1, delivery_date: '2027-01-15' });
		const round = { lines: ['production', 'purchasing', 'sales'].map((d) => ({ department: d, decision: 'approved' as const, round: 1 })), discrepancies: [] };
		const plan = planContractTransition(facts(reviewed, 'signed', { round }))!;
		expect(plan.update).toMatchObject({ status: 'signed', signed_at: now, signed_by: 'u-sales' });
		expect(plan.taskNotices).toEqual(
			['production', 'purchasing', 'quality', 'warehouse'].map((department) => ({ department, due_at: '2027-01-15', content: 'Boxes' })),
		);
		expect(plan.notifications[0]!.departments).toEqual(['production', 'purchasing', 'quality', 'warehouse']);
		expect(planContractTransition(facts(reviewed, 'signed', { round, taskNoticeIssued: true }))!.taskNotices).toEqual([]);
	});

	it('CR-2 signing while a line is pending names the department', () => {
		const round = { lines: [{ department: 'production', decision: 'pending' as const, round: 1 }], discrepancies: [] };
		const e = catchError(() => planContractTransition(facts(draft({ status: 'in_review', review_round: 1 }), 'signed', { round })));
		expect(e.code).toBe('CP_REVIEW_INCOMPLETE');
		expect(e.message).toMatch(/生产部 Production/);
	});

	it('a status change travels alone (only fields still open after the draft may come with it)', () => {
		expect(catchError(() => assertStatusTravelsAlone({ status: 'in_review', title: 'renamed' })).code).toBe('CP_INVALID_VALUE');
		expect(() => assertStatusTravelsAlone({ status: 'signed', customer_confirmed_at: '2026-11-20', notes: 'fax received' })).not.toThrow();
	});
});

describe('CR-6 planReviewCompletion (Doc 1 4.2.3.1 d)', () => {
	const inReview = draft({ status: 'in_review', review_round: 1, review_route: 'regular' });
	const approved = ['production', 'purchasing', 'sales'].map((d) => ({ department: d, decision: 'approved' as const, round: 1 }));
	it('CR-6 completes when every line of the round is signed and no item is open', () => {
		expect(planReviewCompletion(inReview, { lines: approved, discrepancies: [] }, now)).toEqual({
			update: { status: 'reviewed', reviewed_at: now },
			audit: {
				collection: 'cp_contracts',
				item: 'c1',
				action: 'review_completed',
				from_status: 'in_review',
				to_status: 'reviewed',
				data: { round: 1, route: 'regular' },
			},
		});
	});
	it('CR-5 an unclosed discrepancy keeps the review open', () => {
		expect(planReviewCompletion(inReview, { lines: approved, discrepancies: [{ status: 'resolved' }] }, now)).toBeNull();
	});
});

describe('CR-3/CR-4 planSignLine: a department signs its own line with its own checklist', () => {
	// Doc 1 4.2.2 f: 制造、外协能力的满足性;生产能力的平衡、交货期的满足性.
	const PRODUCTION_KEYS = ['capacity', 'load_balance', 'delivery_date', 'outsourcing'];
	const line = (fields: Partial<ReviewLineRow> = {}): ReviewLineRow => ({
		id: 'l1',
		contract: 'c1',
		department: 'production',
		decision: 'pending',
		round: 1,
		checklist: JSON.stringify(lineChecklist('production', null, undefined)),
		...fields,
	});
	const contract = { status: 'in_review', review_round: 1 };
	const production = user(['production']);

	it('CR-3 the production line lists capacity, load balance, delivery date and outsourcing (Doc 1 4.2.2 f)', () => {
		expect(lineChecklist('production', null, undefined).map((a) => a.key)).toEqual(PRODUCTION_KEYS);
	});

	it('CR-4 production signs its line: decision, opinion, name and date; every aspect confirmed; audited as production', () => {
		const plan = planSignLine({ line: line(), contract, payload: { decision: 'approved', opinion: '产能满足' }, actor: production, now });
		expect(plan.signs).toBe(true);
		expect(plan.update).toMatchObject({ decision: 'approved', opinion: '产能满足', signed_by: 'u-production', signed_at: now, signed_as_admin: false });
		expect((plan.update.checklist as any[]).map((a) => [a.key, a.checked])).toEqual(PRODUCTION_KEYS.map((k) => [k, true]));
		expect(plan.as).toBe('production');
		expect(plan.audit[0]).toMatchObject({ action: 'signed', from_status: 'pending', to_status: 'approved', data: { department: 'production' } });
		expect(plan.checkCompletion).toBe(true);
	});

	it('CR-4 another department cannot sign the production line', () => {
		expect(catchError(() => planSignLine({ line: line(), contract, payload: { decision: 'approved' }, actor: user(['quality']), now })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
	});

	it("CR-3 a checklist copied from another department's line is refused, never merged", () => {
		const purchasing = lineChecklist('purchasing', null, undefined).map((a) => ({ ...a, checked: true }));
		const e = catchError(() => planSignLine({ line: line(), contract, payload: { decision: 'approved', checklist: purchasing }, actor: production, now }));
		expect(e.code).toBe('CP_INVALID_VALUE');
		expect(e.message).toMatch(/material_availability/);
	});

	it('CR-3 an aspect left unchecked must be stated in the opinion', () => {
		const ticks = lineChecklist('production', null, undefined).map((a) => ({ key: a.key, checked: a.key !== 'delivery_date' }));
		const e = catchError(() =>
			planSignLine({ line: line(), contract, payload: { decision: 'approved', checklist: ticks, opinion: '' }, actor: production, now }),
		);
		expect(e.code).toBe('CP_OPINION_REQUIRED');
		expect(e.message).toMatch(/delivery_date/);
		const plan = planSignLine({
			line: line(),
			contract,
			payload: { decision: 'approved', checklist: ticks, opinion: 'Delivery 2027-01-15 only with overtime; accepted' },
			actor: production,
			now,
		});
		// The line keeps its own labels; only the ticks come from the request.
		expect((plan.update.checklist as any[]).map((a) => [a.key, a.checked, typeof a.zh])).toEqual([
			['capacity', true, 'string'],
			['load_balance', true, 'string'],
			['delivery_date', false, 'string'],
			['outsourcing', true, 'string'],
		]);
	});

	it('CR-4 a signed line is not signed again; a line of an earlier round is not signed', () => {
		expect(
			catchError(() =>
				planSignLine({ line: line({ decision: 'approved' }), contract, payload: { decision: 'rejected', opinion: 'x' }, actor: production, now }),
			).code,
		).toBe('CP_LINE_ALREADY_SIGNED');
		expect(
			catchError(() =>
				planSignLine({ line: line(), contract: { status: 'in_review', review_round: 2 }, payload: { decision: 'approved' }, actor: production, now }),
			).code,
		).toBe('CP_ILLEGAL_TRANSITION');
	});

	it('CR-4 a rejection needs an opinion', () => {
		expect(catchError(() => planSignLine({ line: line(), contract, payload: { decision: 'rejected' }, actor: production, now })).code).toBe(
			'CP_OPINION_REQUIRED',
		);
	});

	it('X-2 an admin signing for a department is recorded as that department and as admin', () => {
		const plan = planSignLine({ line: line(), contract, payload: { decision: 'approved' }, actor: user([], true), now });
		expect(plan.as).toBe('production');
		expect(plan.update.signed_as_admin).toBe(true);
	});
});

describe('CR-5 planDiscrepancyUpdate (Doc 1 4.2.3.1 a-c)', () => {
	const item: DiscrepancyRow = {
		id: 'd1',
		contract: 'c1',
		status: 'open',
		raised_by_department: 'purchasing',
		clause: '§3 material',
		problem: 'Q890 lead time 12 weeks',
	};
	it('CR-5 Sales resolves with the customer contact on record; a written clarification sends the raiser’s line back to review', () => {
		const plan = planDiscrepancyUpdate({
			item,
			payload: { status: 'resolved', resolution: 'Customer accepts Q690', customer_contact: 'Letter 2026-11-21', customer_clarified_in_writing: true },
			actor: sales,
			contractRound: 2,
			now,
		});
		expect(plan.stamps).toEqual({ resolved_by: 'u-sales', resolved_at: now });
		expect(plan.reopenLine).toEqual({ department: 'purchasing', round: 2 });
		expect(plan.as).toBe('sales');
	});
	it('CR-5 without a written clarification no line is re-opened; without evidence nothing is resolved', () => {
		expect(
			planDiscrepancyUpdate({ item, payload: { status: 'resolved', resolution: 'ok', customer_contact: 'Call 14:00' }, actor: sales, contractRound: 1, now })
				.reopenLine,
		).toBeNull();
		expect(catchError(() => planDiscrepancyUpdate({ item, payload: { status: 'resolved', resolution: 'ok' }, actor: sales, contractRound: 1, now })).code).toBe(
			'CP_EVIDENCE_REQUIRED',
		);
	});
	it('CR-5 only the raising department closes it, and closing may complete the review', () => {
		const resolved = { ...item, status: 'resolved' as const, resolution: 'ok', customer_contact: 'call' };
		expect(catchError(() => planDiscrepancyUpdate({ item: resolved, payload: { status: 'closed' }, actor: sales, contractRound: 1, now })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
		const plan = planDiscrepancyUpdate({ item: resolved, payload: { status: 'closed' }, actor: user(['purchasing']), contractRound: 1, now });
		expect(plan.stamps).toEqual({ closed_by: 'u-purchasing', closed_at: now });
		expect(plan.checkCompletion).toBe(true);
	});
});

describe('CR-13 planAcknowledgement', () => {
	const notice = { id: 'n1', contract: 'c1', department: 'production' };
	it('CR-13 the notice’s own department acknowledges it, stamped with the server clock and the user', () => {
		expect(planAcknowledgement(notice, user(['production']), now).update).toEqual({ acknowledged_at: now, acknowledged_by: 'u-production' });
	});
	it('CR-13 another department cannot, and nobody acknowledges twice', () => {
		expect(catchError(() => planAcknowledgement(notice, user(['warehouse']), now)).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(catchError(() => planAcknowledgement({ ...notice, acknowledged_at: now }, user(['production']), now)).code).toBe('CP_ILLEGAL_TRANSITION');
	});
});
