// The contract review plans (CR-3..CR-7, CR-13, CR-14, X-2): what one write does, with worked
// examples from the procedures (Doc 1 4.2.3 review and discrepancies, Doc 3 4.2.2 routes by class,
// Doc 1 4.6 changes). Expected values are written out from the procedure text.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTES, type ContractLine } from '../../extensions/customer-processes/src/domain/contract-review/routes';
import {
	planContractTransition,
	planReviewCompletion,
	completesOnLastSignature,
	assertStatusTravelsAlone,
	type ContractRow,
	type ContractTransitionFacts,
} from '../../extensions/customer-processes/src/domain/contract-review/contract-plan';
import { lineChecklist, planSignLine, type ReviewLineRow } from '../../extensions/customer-processes/src/domain/contract-review/sign-line';
import { planDiscrepancyUpdate, type DiscrepancyRow } from '../../extensions/customer-processes/src/domain/contract-review/discrepancies';
import { planAcknowledgement } from '../../extensions/customer-processes/src/domain/contract-review/task-notices';
import { catchError } from './catch-error';

const now = new Date('2026-11-20T08:00:00Z');
const user = (departments: string[], isAdmin = false, signers: string[] = []) => ({
	userId: `u-${departments.join('-') || 'admin'}`,
	departments,
	isAdmin,
	system: false,
	signers,
});
const sales = user(['sales']);
// Doc 3 4.3.1: 由销售副总经理代表公司与顾客签订合同.
const salesVp = { ...user(['deputy_gm'], false, ['sales_vp']), userId: 'u-sales-vp' };

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
		// the round's cycle time starts with its submission.
		expect(plan.update.review_submitted_at).toEqual(now);
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

	it('CR-11 only the sales VP signs the contract for the company (Doc 3 4.3.1); Sales alone cannot', () => {
		const reviewed = draft({ status: 'reviewed', review_round: 1 });
		const round = { lines: ['production', 'purchasing', 'sales'].map((d) => ({ department: d, decision: 'approved' as const, round: 1 })), discrepancies: [] };
		const e = catchError(() => planContractTransition(facts(reviewed, 'signed', { round })));
		expect(e.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(e.message).toMatch(/销售副总经理/);
		expect(planContractTransition(facts(reviewed, 'signed', { round, actor: salesVp }))!.update).toMatchObject({ status: 'signed', signed_by: 'u-sales-vp' });
		// The sales VP does not move the contract otherwise (e.g. cancel): that is Sales's.
		expect(catchError(() => planContractTransition(facts(reviewed, 'cancelled', { round, actor: salesVp }))).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
	});

	it('CR-13 signing a reviewed contract issues the task notice to production, purchasing, quality and warehouse, once', () => {
		const reviewed = draft({ status: 'reviewed', review_round: 1, delivery_date: '2027-01-15' });
		const round = { lines: ['production', 'purchasing', 'sales'].map((d) => ({ department: d, decision: 'approved' as const, round: 1 })), discrepancies: [] };
		const plan = planContractTransition(facts(reviewed, 'signed', { round, actor: salesVp }))!;
		expect(plan.update).toMatchObject({ status: 'signed', signed_at: now, signed_by: 'u-sales-vp' });
		expect(plan.taskNotices).toEqual(
			['production', 'purchasing', 'quality', 'warehouse'].map((department) => ({ department, due_at: '2027-01-15', content: 'Boxes' })),
		);
		expect(plan.notifications[0]!.departments).toEqual(['production', 'purchasing', 'quality', 'warehouse']);
		expect(planContractTransition(facts(reviewed, 'signed', { round, actor: salesVp, taskNoticeIssued: true }))!.taskNotices).toEqual([]);
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
	// Doc 3 4.2.2.5: the in-stock lane completes with the outbound slip signed by Sales and the warehouse keeper.
	const inReview = draft({ status: 'in_review', review_round: 1, review_route: 'regular_in_stock', class: 'regular_in_stock' });
	const approved = ['sales', 'warehouse'].map((d) => ({ department: d, decision: 'approved' as const, round: 1 }));
	it('CR-6 CR-7 the in-stock lane completes when both lines of the slip are signed', () => {
		expect(planReviewCompletion(inReview, { lines: approved, discrepancies: [] }, now)).toEqual({
			update: { status: 'reviewed', reviewed_at: now },
			audit: {
				collection: 'cp_contracts',
				item: 'c1',
				action: 'review_completed',
				from_status: 'in_review',
				to_status: 'reviewed',
				data: { round: 1, route: 'regular_in_stock' },
			},
		});
	});
	it('CR-6 a regular route waits for the sales manager’s conclusion (Doc 2 4.3.1), even with every line signed', () => {
		const regular = draft({ status: 'in_review', review_round: 1, review_route: 'regular' });
		const all = ['production', 'purchasing', 'sales'].map((d) => ({ department: d, decision: 'approved' as const, round: 1 }));
		expect(planReviewCompletion(regular, { lines: all, discrepancies: [] }, now)).toBeNull();
	});
	it('CR-5 an unclosed discrepancy keeps the review open', () => {
		expect(planReviewCompletion(inReview, { lines: approved, discrepancies: [{ status: 'resolved' }] }, now)).toBeNull();
	});
	it('CR-6 only the lanes without a conclusion complete on their last signature, and only while in review', () => {
		expect(completesOnLastSignature({ status: 'in_review', review_route: 'regular_in_stock' })).toBe(true);
		expect(completesOnLastSignature({ status: 'in_review', review_route: 'regular' })).toBe(false);
		expect(completesOnLastSignature({ status: 'in_review', review_route: 'special' })).toBe(false);
		expect(completesOnLastSignature({ status: 'reviewed', review_route: 'regular_in_stock' })).toBe(false);
	});
	it('X-4 the completion records when its round was submitted and the hours since, whatever form the database gives the time in', () => {
		// Submitted 2026-11-19 02:30 UTC, completed 2026-11-20 08:00 UTC: 29.5 hours.
		const submitted = new Date('2026-11-19T02:30:00Z');
		for (const stored of [submitted, submitted.getTime(), String(submitted.getTime()), '2026-11-19T02:30:00.000Z']) {
			const plan = planReviewCompletion({ ...inReview, review_submitted_at: stored }, { lines: approved, discrepancies: [] }, now)!;
			expect(plan.audit.data).toEqual({ round: 1, route: 'regular_in_stock', submitted_at: '2026-11-19T02:30:00.000Z', hours: 29.5 });
		}
	});
});

describe('CR-3/CR-4 planSignLine: a department signs its own line with its own checklist', () => {
	// Doc 1 4.2.2 f: 制造、外协能力的满足性;生产能力的平衡、交货期的满足性; Doc 2 3.6 人员满足能力, 3.7 运输满足能力.
	const PRODUCTION_KEYS = ['capacity', 'load_balance', 'delivery_date', 'outsourcing', 'staffing', 'transport'];
	const allTicked = () => lineChecklist('production', null, undefined).map((a) => ({ key: a.key, checked: true }));
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

	it('CR-3 the production line lists capacity, load balance, delivery date, outsourcing, staffing and transport (Doc 1 4.2.2 f, Doc 2 3.6-3.7)', () => {
		expect(lineChecklist('production', null, undefined).map((a) => a.key)).toEqual(PRODUCTION_KEYS);
	});

	it('CR-4 production signs its line: decision, opinion, name and date; every aspect confirmed; audited as production', () => {
		const plan = planSignLine({
			line: line(),
			contract,
			payload: { decision: 'approved', opinion: '产能满足', checklist: allTicked() },
			actor: production,
			now,
		});
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

	it('CR-3 CR-4 an approval without a checklist or without an opinion is refused: nothing is confirmed silently', () => {
		const none = catchError(() => planSignLine({ line: line(), contract, payload: { decision: 'approved', opinion: '产能满足' }, actor: production, now }));
		expect(none.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(none.details).toMatchObject({ unconfirmed: PRODUCTION_KEYS });
		const noOpinion = catchError(() =>
			planSignLine({ line: line(), contract, payload: { decision: 'approved', checklist: allTicked() }, actor: production, now }),
		);
		expect(noOpinion.code).toBe('CP_OPINION_REQUIRED');
	});

	it('CR-3 a checklist drafted on the line earlier counts as confirmed at the signature', () => {
		const drafted = JSON.stringify(lineChecklist('production', null, allTicked()));
		const plan = planSignLine({ line: line({ checklist: drafted }), contract, payload: { decision: 'approved', opinion: '产能满足' }, actor: production, now });
		expect((plan.update.checklist as any[]).every((a) => a.checked)).toBe(true);
	});

	it('CR-3 an aspect left unchecked must say why on the aspect itself; the opinion alone does not cover it', () => {
		const ticks = lineChecklist('production', null, undefined).map((a) => ({ key: a.key, checked: a.key !== 'delivery_date' }));
		const e = catchError(() =>
			planSignLine({
				line: line(),
				contract,
				payload: { decision: 'approved', checklist: ticks, opinion: 'Delivery only with overtime' },
				actor: production,
				now,
			}),
		);
		expect(e.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(e.details).toMatchObject({ unconfirmed: ['delivery_date'] });
		expect(e.message).toMatch(/交货期的满足性/);
		const noted = ticks.map((a) => (a.key === 'delivery_date' ? { ...a, note: '2027-01-15 only with overtime; accepted' } : a));
		const plan = planSignLine({ line: line(), contract, payload: { decision: 'approved', checklist: noted, opinion: '可以满足' }, actor: production, now });
		// The line keeps its own labels; only the ticks and notes come from the request.
		expect((plan.update.checklist as any[]).map((a) => [a.key, a.checked, typeof a.zh])).toEqual([
			['capacity', true, 'string'],
			['load_balance', true, 'string'],
			['delivery_date', false, 'string'],
			['outsourcing', true, 'string'],
			['staffing', true, 'string'],
			['transport', true, 'string'],
		]);
		expect((plan.update.checklist as any[])[2].note).toBe('2027-01-15 only with overtime; accepted');
	});

	it('CR-7 the warehouse line of the outbound slip is signed by the warehouse keeper (Doc 3 4.2.2.5)', () => {
		const wh = line({ department: 'warehouse', checklist: JSON.stringify(lineChecklist('warehouse', null, undefined)) });
		const ticks = lineChecklist('warehouse', null, undefined).map((a) => ({ key: a.key, checked: true }));
		const payload = { decision: 'approved', opinion: '现货确认无误', checklist: ticks };
		// A warehouse member who is not the company's warehouse keeper (signers mapped to someone else).
		const clerk = user(['warehouse']);
		const e = catchError(() => planSignLine({ line: wh, contract, payload, actor: clerk, now }));
		expect(e.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(e.message).toMatch(/仓库保管员/);
		const keeper = user(['warehouse'], false, ['warehouse_keeper']);
		expect(planSignLine({ line: wh, contract, payload, actor: keeper, now }).signs).toBe(true);
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
		const plan = planSignLine({ line: line(), contract, payload: { decision: 'approved', opinion: 'OK', checklist: allTicked() }, actor: user([], true), now });
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
