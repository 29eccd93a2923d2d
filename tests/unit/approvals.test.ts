// The approvals the procedures name (CR-6, CR-7, CR-11): who signs the conclusion, who approves
// which class, what makes a contract major, and how a company maps the named signers. Expected
// values are written out from the procedure text (Doc 2 4.3.1, Doc 3 4.2.2.5-4.2.2.7, 4.3.1).
import { describe, expect, it } from 'vitest';
import {
	conclusionRequired,
	decideMajor,
	planConclusion,
	signersOf,
	validateApprovalSettings,
	validateSigners,
} from '../../extensions/customer-processes/src/domain/contract-review/approvals';
import { DEFAULT_ROUTES, decideRoute, type ContractLine } from '../../extensions/customer-processes/src/domain/contract-review/routes';
import { planContractCreation, planReviewRound, type ContractRow } from '../../extensions/customer-processes/src/domain/contract-review/contract-plan';
import { validateSettingsChange } from '../../extensions/customer-processes/src/domain/settings';
import { catchError } from './catch-error';

const now = new Date('2026-11-20T08:00:00Z');
const PRESS: ContractLine = { product: 'Hydraulic press frame', specification: 'HP-800', quantity: 2, unit_price: 380000 };
const route = (fields: { class: 'regular' | 'special' | 'regular_in_stock'; major?: boolean }, approvers?: any) =>
	decideRoute(
		{ kind: 'contract', class: fields.class, major: fields.major ?? false, customerIsNew: true, lines: [PRESS], previousReviewedLines: [] },
		DEFAULT_ROUTES,
		approvers,
	);

describe('CR-7 the approver per contract class is a setting', () => {
	it('CR-7 by default a special contract is approved by the deputy GM (Doc 3 4.2.2.7), a major one also by the GM (Doc 2 4.3.1)', () => {
		expect(route({ class: 'special' }).departments).toEqual(['production', 'purchasing', 'sales', 'technical', 'quality', 'deputy_gm']);
		expect(route({ class: 'special', major: true }).departments).toEqual(['production', 'purchasing', 'sales', 'technical', 'quality', 'deputy_gm', 'gm']);
		// Doc 3 4.2.2.6: a regular contract needs no approval line.
		expect(route({ class: 'regular' }).departments).toEqual(['production', 'purchasing', 'sales']);
	});

	it('CR-7 a company following Doc 3 3.7 (the GM approves special contracts) sets the GM as the special approver', () => {
		expect(route({ class: 'special' }, { special: 'gm' }).departments).toEqual(['production', 'purchasing', 'sales', 'technical', 'quality', 'gm']);
		// Doc 1 3.6 (the GM approves contracts): the regular class gets the GM too.
		expect(route({ class: 'regular' }, { regular: 'gm' }).departments).toEqual(['production', 'purchasing', 'sales', 'gm']);
	});

	it('CR-7 approver settings are checked: a class or major, naming a department', () => {
		expect(() => validateApprovalSettings({ approvers: { special: 'gm', major: 'gm' } }, ['gm', 'deputy_gm'])).not.toThrow();
		expect(catchError(() => validateApprovalSettings({ approvers: { huge: 'gm' } }, ['gm'])).code).toBe('CP_INVALID_VALUE');
		expect(catchError(() => validateApprovalSettings({ approvers: { special: 'nobody' } }, ['gm'])).code).toBe('CP_INVALID_VALUE');
	});
});

describe('CR-7 what makes a contract major is a company rule, and the tick still forces it', () => {
	const rules = { amount_at_least: 500000, new_product: true, export: true };
	const base = { ticked: false, amount: 100000, newProducts: [], export: false };
	it('CR-7 an amount at or above the threshold, a new product or an export contract makes it major; none of them does not', () => {
		expect(decideMajor(rules, base).major).toBe(false);
		expect(decideMajor(rules, { ...base, amount: 760000 })).toMatchObject({ major: true, reasons: [{ en: 'amount 760000 ≥ 500000' }] });
		expect(decideMajor(rules, { ...base, amount: 500000 }).major).toBe(true);
		expect(decideMajor(rules, { ...base, newProducts: ['Hydraulic press frame'] }).reasons[0]!.zh).toMatch(/新产品/);
		expect(decideMajor(rules, { ...base, export: true }).reasons[0]!.zh).toBe('出口合同');
		// A company without rules: only Sales's tick.
		expect(decideMajor({}, { ...base, amount: 9e9, export: true }).major).toBe(false);
		expect(decideMajor({}, { ...base, ticked: true }).major).toBe(true);
	});

	it('CR-7 a contract over the amount threshold gets the GM line with the reason on the route, without a tick', () => {
		const c: ContractRow = { id: 'c1', kind: 'contract', class: 'regular', status: 'draft', review_round: 0, total_amount: 760000 } as ContractRow;
		const plan = planReviewRound(c, { lines: [PRESS], customerIsNew: true, previousReviewedLines: [], routes: DEFAULT_ROUTES, majorRules: rules });
		expect(plan.reviewLines.map((l) => l.department)).toEqual(['production', 'purchasing', 'sales', 'gm']);
		expect(plan.contract.review_route).toBe('regular+major');
		expect(plan.contract.route_reason).toMatch(/amount 760000 ≥ 500000/);
	});

	it('CR-7 major rules are checked', () => {
		expect(catchError(() => validateApprovalSettings({ major_rules: { amount_at_least: -1 } }, [])).code).toBe('CP_INVALID_VALUE');
		expect(catchError(() => validateApprovalSettings({ major_rules: { colour: 'red' } }, [])).code).toBe('CP_INVALID_VALUE');
		expect(() => validateApprovalSettings({ major_rules: { amount_at_least: 1e6, export: true } }, [])).not.toThrow();
	});
});

describe('CR-6 CR-11 named signers are mapped by the company', () => {
	const ROLE_SALES = 'role-sales';
	it('CR-6 an unmapped signer falls back to its department (sales manager: Sales; sales VP: Deputy GM; warehouse keeper: Warehouse)', () => {
		expect(signersOf({ userId: 'u1', roles: [ROLE_SALES], departments: ['sales'] }, null)).toEqual(['sales_manager']);
		expect(signersOf({ userId: 'u2', roles: [], departments: ['deputy_gm'] }, null)).toEqual(['sales_vp']);
		expect(signersOf({ userId: 'u3', roles: [], departments: ['warehouse'] }, null)).toEqual(['warehouse_keeper']);
	});
	it('CR-6 once mapped to a user, other members of Sales are not the sales manager', () => {
		const map = { sales_manager: ['u-manager'] };
		expect(signersOf({ userId: 'u-clerk', roles: [ROLE_SALES], departments: ['sales'] }, map)).toEqual([]);
		expect(signersOf({ userId: 'u-manager', roles: [ROLE_SALES], departments: ['sales'] }, map)).toEqual(['sales_manager']);
		// A role id works the same way.
		expect(signersOf({ userId: 'x', roles: ['role-vp'], departments: [] }, { sales_vp: ['role-vp'] })).toEqual(['sales_vp']);
	});
	it('CR-6 the signers setting names known signers and existing roles or users', () => {
		const known = new Set(['u-manager', 'role-vp']);
		expect(() => validateSigners({ sales_manager: ['u-manager'], sales_vp: ['role-vp'] }, known)).not.toThrow();
		expect(catchError(() => validateSigners({ boss: ['u-manager'] }, known)).code).toBe('CP_INVALID_VALUE');
		expect(catchError(() => validateSigners({ sales_manager: ['u-ghost'] }, known)).code).toBe('CP_INVALID_VALUE');
		expect(catchError(() => validateSigners({ sales_manager: [] }, known)).code).toBe('CP_INVALID_VALUE');
		// Through the settings check, as services/settings.ts asks it.
		expect(catchError(() => validateSettingsChange({ signers: { sales_vp: ['nobody'] } }, { roleIds: ['r1'], userIds: [] })).field).toBe('signers');
		expect(() => validateSettingsChange({ signers: { sales_vp: ['r1'] } }, { roleIds: ['r1'] })).not.toThrow();
	});
});

describe('CR-6 planConclusion: the sales department manager signs the review conclusion (Doc 2 4.3.1)', () => {
	const contract = { id: 'c1', status: 'in_review', review_round: 1, review_route: 'regular' };
	const signed = ['production', 'purchasing', 'sales'].map((department) => ({ department, decision: 'approved' as const, round: 1 }));
	const manager = { userId: 'u-manager', departments: ['sales'], isAdmin: false, system: false, signers: ['sales_manager'] };
	const clerk = { ...manager, userId: 'u-clerk', signers: [] };

	it('CR-6 the manager’s conclusion after every line is signed completes the review, stamped and audited', () => {
		const plan = planConclusion({ contract, lines: signed, discrepancies: [], conclusion: ' 同意签订 ', actor: manager, now });
		expect(plan.update).toEqual({
			conclusion: '同意签订',
			conclusion_signed_by: 'u-manager',
			conclusion_signed_at: now,
			status: 'reviewed',
			reviewed_at: now,
		});
		expect(plan.audit.map((a) => [a.action, a.from_status ?? null, a.to_status ?? null])).toEqual([
			['conclusion_signed', null, null],
			['review_completed', 'in_review', 'reviewed'],
		]);
	});
	it('X-4 the completion the conclusion brings records its round’s submission and the hours since', () => {
		const submitted = new Date(now.getTime() - 50 * 3_600_000);
		const plan = planConclusion({
			contract: { ...contract, review_submitted_at: submitted },
			lines: signed,
			discrepancies: [],
			conclusion: '同意',
			actor: manager,
			now,
		});
		expect(plan.audit.find((a) => a.action === 'review_completed')?.data).toEqual({
			round: 1,
			route: 'regular',
			submitted_at: submitted.toISOString(),
			hours: 50,
		});
	});
	it('CR-6 someone else in Sales, or before every line is signed, or with a discrepancy open, or without text: refused', () => {
		expect(catchError(() => planConclusion({ contract, lines: signed, discrepancies: [], conclusion: 'OK', actor: clerk, now })).code).toBe(
			'CP_NOT_DEPARTMENT_MEMBER',
		);
		const pending = [...signed.slice(0, 2), { department: 'sales', decision: 'pending' as const, round: 1 }];
		const early = catchError(() => planConclusion({ contract, lines: pending, discrepancies: [], conclusion: 'OK', actor: manager, now }));
		expect(early.code).toBe('CP_REVIEW_INCOMPLETE');
		expect(early.message).toMatch(/市场部/);
		expect(catchError(() => planConclusion({ contract, lines: signed, discrepancies: [{ status: 'open' }], conclusion: 'OK', actor: manager, now })).code).toBe(
			'CP_OPEN_DISCREPANCIES',
		);
		expect(catchError(() => planConclusion({ contract, lines: signed, discrepancies: [], conclusion: ' ', actor: manager, now })).code).toBe(
			'CP_OPINION_REQUIRED',
		);
		expect(
			catchError(() =>
				planConclusion({ contract: { ...contract, status: 'reviewed' }, lines: signed, discrepancies: [], conclusion: 'OK', actor: manager, now }),
			).code,
		).toBe('CP_ILLEGAL_TRANSITION');
	});
	it('CR-6 a draft is never created with a conclusion', () => {
		const sales = { userId: 'u', departments: ['sales'], isAdmin: false, system: false, signers: ['sales_manager'] };
		expect(catchError(() => planContractCreation({ title: 'x', conclusion: '同意' }, sales)).code).toBe('CP_ILLEGAL_TRANSITION');
		expect(planContractCreation({ title: 'x' }, sales)).toEqual({ status: 'draft' });
	});
	it('CR-6 CR-7 the in-stock lane and the repeat-order confirmation complete with their signatures, every other route with the conclusion', () => {
		expect(conclusionRequired('regular_in_stock')).toBe(false);
		expect(conclusionRequired('regular_in_stock+major')).toBe(false);
		expect(conclusionRequired('confirmation')).toBe(false);
		for (const r of ['regular', 'special', 'special+major', 'tender_decision']) expect(conclusionRequired(r)).toBe(true);
	});
});
