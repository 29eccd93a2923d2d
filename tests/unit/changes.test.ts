import { signersOf } from '../../extensions/customer-processes/src/domain/contract-review/approvals';
import { describe, it, expect } from 'vitest';
import {
	CHANGE_KINDS,
	CHANGE_RULES,
	assertAmendments,
	assertChangeAllowed,
	changeConsequence,
	isKnownAspect,
	planAmendment,
	planChangeCreation,
	planChangeStep,
	planChanges,
	planTaskNoticeReissue,
	type ChangeKind,
} from '../../extensions/customer-processes/src/domain/contract-review/changes';
import { catchError } from './catch-error';

describe('CR-14 change consequences', () => {
	it('CR-14 each kind has its consequence', () => {
		const map = Object.fromEntries(CHANGE_KINDS.map((k) => [k, changeConsequence(k).consequence]));
		expect(map).toEqual({
			quantity: 'new_work_order',
			delivery_date: 'new_work_order',
			price: 'new_quotation',
			structure: 'new_review',
			process: 'product_change_notice',
			termination: 'termination_both_parties',
			design: 'design_change',
		});
	});

	it('CR-14 a structure change is re-reviewed by technical, quality, production, purchasing', () => {
		const c = changeConsequence('structure');
		expect(c.reviewDepartments).toEqual(['technical', 'quality', 'production', 'purchasing']);
		expect(c.aspects).toContain('technical.structure');
		expect(c.notifyDepartments).toEqual(['sales', 'technical', 'quality', 'production', 'purchasing']);
	});

	it('CR-14 only new_review consequences carry review departments', () => {
		for (const k of CHANGE_KINDS) {
			if (k !== 'structure') expect(changeConsequence(k).reviewDepartments).toEqual([]);
		}
	});

	it('CR-14 departments are notified: price goes to finance, quantity to production', () => {
		expect(changeConsequence('price').notifyDepartments).toEqual(['sales', 'finance']);
		expect(changeConsequence('quantity').notifyDepartments).toEqual(['sales', 'production', 'purchasing', 'warehouse']);
	});

	it('CR-3 every aspect a change touches exists in the checklist', () => {
		for (const k of CHANGE_KINDS) for (const ref of CHANGE_RULES[k].touches) expect(isKnownAspect(ref), ref).toBe(true);
		expect(isKnownAspect('technical.colour')).toBe(false);
	});

	it('CR-14 combined changes merge consequences and departments', () => {
		expect(planChanges(['quantity', 'price', 'structure', 'quantity'])).toEqual({
			consequences: ['new_work_order', 'new_quotation', 'new_review'],
			reviewDepartments: ['technical', 'quality', 'production', 'purchasing'],
			notifyDepartments: ['sales', 'production', 'purchasing', 'warehouse', 'finance', 'technical', 'quality'],
		});
	});

	it('rejects an unknown change kind', () => {
		expect(catchError(() => changeConsequence('colour' as ChangeKind)).code).toBe('CP_INVALID_VALUE');
	});
});

describe('CR-14 change guard', () => {
	it("CR-14 a change needs the customer's written consent", () => {
		const e = catchError(() => assertChangeAllowed({ kind: 'delivery_date', customerConsentRecorded: false, contractStatus: 'signed' }));
		expect(e.code).toBe('CP_CUSTOMER_CONSENT_REQUIRED');
		expect(e.status).toBe(409);
		// Bilingual, the field named by its label, no key and no requirement code.
		expect(e.message).toContain('顾客书面同意时间 Customer written consent');
		expect(e.message).toContain("the customer's written consent is not recorded");
		expect(e.message).toContain('交货期 Delivery date');
		expect(e.message).not.toMatch(/CR-14|customer_consent_at|delivery_date/);
		expect(assertChangeAllowed({ kind: 'delivery_date', customerConsentRecorded: true, contractStatus: 'signed' }).consequence).toBe('new_work_order');
	});

	it('CR-14 termination needs both parties to sign on the original contract', () => {
		const e = catchError(() => assertChangeAllowed({ kind: 'termination', customerConsentRecorded: true, contractStatus: 'in_production' }));
		expect(e.code).toBe('CP_TERMINATION_NOT_SIGNED');
		expect(
			assertChangeAllowed({ kind: 'termination', customerConsentRecorded: true, terminationSignedByBoth: true, contractStatus: 'in_production' }).consequence,
		).toBe('termination_both_parties');
	});

	it('CR-14 a finished, cancelled or draft contract is not changed', () => {
		for (const contractStatus of ['draft', 'in_review', 'completed', 'cancelled', 'terminated'] as const) {
			expect(catchError(() => assertChangeAllowed({ kind: 'price', customerConsentRecorded: true, contractStatus })).code).toBe('CP_CHANGE_NOT_ALLOWED');
		}
	});
});

// Worked example (Doc 1 4.6 b-c): a signed contract's line 1 of 100 pcs at 5.00 is changed to
// 120 pcs; the customer agreed in writing; the deputy GM approves; the customer confirms the
// change notice by fax; the market department head (Sales) signs, and the change takes effect.
// As the adapter builds it: with no signers setting, a member of Sales holds the sales manager's signature.
const user = (departments: string[], isAdmin = false) => {
	const userId = `u-${departments.join('-') || 'admin'}`;
	return { userId, departments, isAdmin, system: false, signers: signersOf({ userId, roles: [], departments }, null) };
};
const now = new Date('2026-12-01T08:00:00Z');
const quantity = (status: string, extra: Record<string, unknown> = {}) => ({
	kind: 'quantity',
	status,
	customer_consent_at: '2026-11-30T09:00:00Z',
	amendments: { lines: [{ line_no: 1, quantity: 120 }] },
	...extra,
});
const confirmation = {
	customer_confirmed_by: '王经理 (customer purchasing)',
	customer_confirmed_at: '2026-12-01T07:00:00Z',
	customer_confirmation_method: 'fax',
	confirmation_record: 'Fax 0571-1234 of 1 Dec',
};

describe('CR-14 change steps (Doc 1 4.6)', () => {
	it('CR-14 the supervising leader (deputy GM or GM) approves, stamped with who, when and as which department', () => {
		const p = planChangeStep({ change: quantity('requested'), to: 'approved', actor: user(['deputy_gm']), now });
		expect(p.update).toEqual({ status: 'approved', approved_by: 'u-deputy_gm', approved_at: now, approved_as: 'deputy_gm' });
		expect(planChangeStep({ change: quantity('requested'), to: 'approved', actor: user(['gm']), now }).as).toBe('gm');
	});

	it('CR-14 Sales, Technical or Quality cannot approve; Sales cannot sign the notice before the customer confirmed', () => {
		for (const d of ['sales', 'technical', 'quality'])
			expect(catchError(() => planChangeStep({ change: quantity('requested'), to: 'approved', actor: user([d]), now })).code, d).toBe(
				'CP_NOT_DEPARTMENT_MEMBER',
			);
		const e = catchError(() => planChangeStep({ change: quantity('approved'), to: 'done', actor: user(['sales']), now }));
		expect(e.code).toBe('CP_ILLEGAL_TRANSITION');
		expect(e.message).toContain('已批准 Approved');
		expect(e.message).toContain('已完成 Done');
		expect(e.message).not.toMatch(/'approved'|'done'/);
	});

	it('CR-14 approval needs the customer’s consent and the new values first', () => {
		const noConsent = catchError(() =>
			planChangeStep({ change: quantity('requested', { customer_consent_at: null }), to: 'approved', actor: user(['gm']), now }),
		);
		expect(noConsent.code).toBe('CP_CUSTOMER_CONSENT_REQUIRED');
		const noValues = catchError(() => planChangeStep({ change: quantity('requested', { amendments: null }), to: 'approved', actor: user(['gm']), now }));
		expect(noValues.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(noValues.message).toContain('变更后的值 Amended values');
	});

	it('CR-14 the customer’s confirmation records who, when, how and evidence before it is confirmed', () => {
		for (const k of Object.keys(confirmation)) {
			const partial = { ...confirmation, [k]: '' };
			const e = catchError(() => planChangeStep({ change: quantity('approved', partial), to: 'confirmed', actor: user(['sales']), now }));
			expect(e.code, k).toBe('CP_CUSTOMER_CONFIRMATION_REQUIRED');
		}
		expect(planChangeStep({ change: quantity('approved', confirmation), to: 'confirmed', actor: user(['sales']), now }).update).toEqual({
			status: 'confirmed',
		});
		expect(catchError(() => planChangeStep({ change: quantity('approved', confirmation), to: 'confirmed', actor: user(['gm']), now })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
	});

	it('CR-14 the market department head (Sales) signs the confirmed notice and it takes effect', () => {
		const p = planChangeStep({ change: quantity('confirmed', confirmation), to: 'done', actor: user(['sales']), now });
		expect(p.takesEffect).toBe(true);
		expect(p.update).toEqual({ status: 'done', head_signed_by: 'u-sales', head_signed_at: now, effective_at: now });
		// A member of Sales who is not the company's named market head does not sign it.
		const notHead = { ...user(['sales']), signers: [] };
		expect(catchError(() => planChangeStep({ change: quantity('confirmed', confirmation), to: 'done', actor: notHead, now })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
		expect(catchError(() => planChangeStep({ change: quantity('confirmed'), to: 'done', actor: user(['production']), now })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
	});

	it('CR-14 a rejection gives its reason; nothing leaves done or rejected', () => {
		expect(catchError(() => planChangeStep({ change: quantity('requested'), to: 'rejected', actor: user(['gm']), now })).code).toBe('CP_OPINION_REQUIRED');
		expect(planChangeStep({ change: quantity('requested', { decision_note: '价格不可接受' }), to: 'rejected', actor: user(['gm']), now }).to).toBe('rejected');
		for (const from of ['done', 'rejected'])
			for (const to of ['requested', 'approved', 'confirmed'])
				expect(catchError(() => planChangeStep({ change: quantity(from), to, actor: user([], true), now })).code, `${from}>${to}`).toBe(
					'CP_ILLEGAL_TRANSITION',
				);
	});

	it('CR-14 a structure change re-opens the review when approved and takes effect only after it', () => {
		const s = { kind: 'structure', customer_consent_at: '2026-11-30', amendments: { lines: [{ line_no: 1, specification: '600×400×320' }] } };
		expect(planChangeStep({ change: { ...s, status: 'requested' }, to: 'approved', actor: user(['gm']), now }).opensReReview).toBe(true);
		expect(planChangeStep({ change: quantity('requested'), to: 'approved', actor: user(['gm']), now }).opensReReview).toBe(false);
		const e = catchError(() =>
			planChangeStep({ change: { ...s, ...confirmation, status: 'confirmed' }, to: 'done', actor: user(['sales']), contractStatus: 'in_review', now }),
		);
		expect(e.code).toBe('CP_REVIEW_INCOMPLETE');
	});
});

describe('CR-14 design change request (Doc 1 4.6 a: the customer is not affected)', () => {
	const design = (status: string) => ({ kind: 'design', status });
	it('CR-14 R&D records it, without the customer’s consent; Sales does not', () => {
		const base = {
			kind: 'design',
			description: '内衬改用 B 楞',
			customerConsentRecorded: false,
			contractStatus: 'signed' as const,
			contractCode: 'HT-1',
			terminationSignedByBoth: false,
		};
		expect(planChangeCreation({ ...base, actor: user(['technical']) }).record).toMatchObject({ status: 'requested', consequence: 'design_change' });
		expect(catchError(() => planChangeCreation({ ...base, actor: user(['sales']) })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		// And Sales records the customer's changes, R&D does not.
		expect(catchError(() => planChangeCreation({ ...base, kind: 'quantity', customerConsentRecorded: true, actor: user(['technical']) })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
	});
	it('CR-14 R&D approves and carries it out; no customer confirmation and no market head step', () => {
		expect(planChangeStep({ change: design('requested'), to: 'approved', actor: user(['technical']), now }).as).toBe('technical');
		expect(catchError(() => planChangeStep({ change: design('requested'), to: 'approved', actor: user(['sales']), now })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
		expect(catchError(() => planChangeStep({ change: design('approved'), to: 'confirmed', actor: user(['technical']), now })).code).toBe(
			'CP_ILLEGAL_TRANSITION',
		);
		const done = planChangeStep({ change: design('approved'), to: 'done', actor: user(['technical']), now });
		expect(done.update).toEqual({ status: 'done', effective_at: now });
	});
	it('CR-14 a design change carries no amended contract values', () => {
		expect(catchError(() => assertAmendments('design', { lines: [{ line_no: 1, quantity: 5 }] })).code).toBe('CP_INVALID_VALUE');
	});
});

describe('CR-14 the change amends the contract, keeping the previous values', () => {
	const contract = { delivery_date: '2026-12-20', total_amount: 500 };
	const lines = [
		{ id: 'l1', line_no: 1, quantity: '100', unit_price: '5.00', delivery_date: '2026-12-20' },
		{ id: 'l2', line_no: 2, quantity: '50', unit_price: '2.00', delivery_date: '2026-12-20' },
	];
	it('CR-14 a line of 100 pcs changed to 120 keeps 100 as the previous value', () => {
		const p = planAmendment('quantity', { lines: [{ line_no: 1, quantity: 120 }], total_amount: 600 }, contract, lines);
		expect(p.lines).toEqual([{ id: 'l1', update: { quantity: 120 } }]);
		expect(p.contract).toEqual({ total_amount: 600 });
		expect(p.amended).toEqual([
			{ target: 'contract', field: 'total_amount', from: 500, to: 600 },
			{ target: 'line', line_no: 1, line: 'l1', field: 'quantity', from: 100, to: 120 },
		]);
	});
	it('CR-14 a delivery date change moves the contract’s and the line’s dates; a price change the unit price', () => {
		const d = planAmendment('delivery_date', { delivery_date: '2027-01-10', lines: [{ line_no: 2, delivery_date: '2027-01-10' }] }, contract, lines);
		expect(d.amended.map((a) => [a.field, a.from, a.to])).toEqual([
			['delivery_date', '2026-12-20', '2027-01-10'],
			['delivery_date', '2026-12-20', '2027-01-10'],
		]);
		const p = planAmendment('price', { lines: [{ line_no: 1, unit_price: 5.5 }] }, contract, lines);
		expect(p.amended).toEqual([{ target: 'line', line_no: 1, line: 'l1', field: 'unit_price', from: 5, to: 5.5 }]);
	});
	it('CR-14 a kind amends only its own values; an unknown line is refused', () => {
		const e = catchError(() => assertAmendments('price', { lines: [{ line_no: 1, quantity: 120 }] }));
		expect(e.code).toBe('CP_INVALID_VALUE');
		expect(e.message).toContain('数量 Quantity');
		expect(catchError(() => assertAmendments('quantity', { lines: [{ line_no: 1, quantity: -3 }] })).code).toBe('CP_INVALID_VALUE');
		expect(catchError(() => planAmendment('quantity', { lines: [{ line_no: 9, quantity: 1 }] }, contract, lines)).code).toBe('CP_INVALID_VALUE');
	});
});

describe('CR-14 the task notice is issued again to the departments the change touches', () => {
	const recipients = ['production', 'purchasing', 'quality', 'warehouse'];
	const c = { code: 'HT-1', title: 'Boxes', delivery_date: '2027-01-10' };
	it('CR-14 quantity: production, purchasing, warehouse (a new work order, Doc 2 4.5.2); price: none (a new quotation)', () => {
		expect(planTaskNoticeReissue({ kind: 'quantity', recipients, contract: c, description: '100→120' }).map((n) => n.department)).toEqual([
			'production',
			'purchasing',
			'warehouse',
		]);
		expect(planTaskNoticeReissue({ kind: 'price', recipients, contract: c, description: 'x' })).toEqual([]);
		expect(planTaskNoticeReissue({ kind: 'termination', recipients, contract: c, description: 'x' })).toEqual([]);
	});
	it('CR-14 only departments that receive task notices: a company that takes warehouse off the list does not re-issue to it', () => {
		expect(planTaskNoticeReissue({ kind: 'quantity', recipients: ['production'], contract: c, description: 'x' }).map((n) => n.department)).toEqual([
			'production',
		]);
	});
});
