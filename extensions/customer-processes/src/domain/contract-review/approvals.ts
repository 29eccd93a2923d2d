/**
 * The approvals the procedures name, as signed steps by named roles (CR-6, CR-7, CR-11):
 * - the sales department manager signs the review conclusion (Doc 2 4.3.1 审核结论由销售部经理签署);
 * - the sales VP signs the contract for the company (Doc 3 4.3.1 由销售副总经理代表公司与顾客签订合同);
 * - the warehouse keeper confirms the in-stock outbound slip (Doc 3 4.2.2.5);
 * - the approver per contract class is a company setting (the documents disagree: Doc 1 3.6 the GM
 *   approves contracts, Doc 3 3.7 the GM approves special contracts, Doc 3 4.2.2.7 the deputy GM);
 * - what makes a contract major is a rule the company sets (amount, new product, export), and a
 *   tick by Sales may still force it.
 * Pure: the adapter maps the caller to signer keys (services/context.ts) and loads the facts.
 */
import { CATALOGUE, SIGNERS, values } from '../catalogue';
import { DomainError, isBlank } from '../errors';
import { departmentName } from '../departments';
import { parseJson } from '../json';
import { reviewProgress, roundCycle, type DiscrepancyStatus, type ReviewLineFact } from './review';
import type { AuditEntry, PlanActor } from './contract-plan';

export const SIGNER_KEYS = values(SIGNERS);
export type SignerKey = (typeof SIGNER_KEYS)[number];

/** Who signs when a company has not mapped a signer: the members of this department. */
export const DEFAULT_SIGNER_DEPARTMENTS: Readonly<Record<SignerKey, string>> = {
	sales_manager: 'sales',
	// The sales VP is the deputy general manager in charge of sales.
	sales_vp: 'deputy_gm',
	warehouse_keeper: 'warehouse',
};

const SIGNER_NAMES = Object.fromEntries(SIGNERS.map(([key, en, zh]) => [key, { en, zh }])) as Record<SignerKey, { en: string; zh: string }>;

export function signerName(key: SignerKey, lang: 'en' | 'zh' = 'en'): string {
	return SIGNER_NAMES[key][lang];
}

/** cp_settings.signers: signer key -> Directus role or user ids. */
export type SignerMap = Partial<Record<SignerKey, readonly string[]>>;

/**
 * The signer keys a caller holds: a mapped key when one of their roles or their user id is listed,
 * an unmapped key when they belong to its default department.
 */
export function signersOf(who: { userId: string | null; roles: readonly string[]; departments: readonly string[] }, map: unknown): SignerKey[] {
	const m = (parseJson<unknown>(map, null) ?? {}) as Record<string, unknown>;
	return SIGNER_KEYS.filter((key) => {
		const ids = m[key];
		if (Array.isArray(ids)) return ids.some((id) => id === who.userId || who.roles.includes(String(id)));
		return who.departments.includes(DEFAULT_SIGNER_DEPARTMENTS[key]);
	});
}

export interface SignerActor extends PlanActor {
	signers?: readonly string[] | undefined;
}

const holds = (actor: SignerActor, key: SignerKey) => actor.system || (actor.signers ?? []).includes(key);

/** Refuses unless the actor holds the named signer role (an admin may act, recorded as such). */
export function assertSigner(actor: SignerActor, key: SignerKey, what: { en: string; zh: string }, field: string): void {
	if (holds(actor, key) || actor.isAdmin) return;
	throw new DomainError(
		'CP_NOT_DEPARTMENT_MEMBER',
		`${what.zh}须由${signerName(key, 'zh')}签署 / ${what.en} is signed by the ${signerName(key)} (${signerName(key, 'zh')})`,
		{ field, details: { signer: key } },
	);
}

// ---- CR-7: the approver per contract class ----------------------------------------------------

export type ApproverKey = (typeof CATALOGUE.cp_contracts.class)[number][0] | 'major';
export const APPROVER_KEYS: readonly ApproverKey[] = [...values(CATALOGUE.cp_contracts.class), 'major'];
/** Class or 'major' -> the department whose approval line the route adds (null = none). */
export type Approvers = Readonly<Partial<Record<ApproverKey, string | null>>>;

/**
 * README/REQUIREMENTS CR-7 defaults: a special contract is approved by the deputy GM (Doc 3
 * 4.2.2.7 报主管副总经理批准), a major one also by the GM (Doc 2 4.3.1 重大项目由总经理审批);
 * regular contracts need no approval line (the review completes with the signatures). 'major' not set:
 * the review route 'major' (the GM) is added.
 */
export const DEFAULT_APPROVERS: Approvers = { regular_in_stock: null, regular: null, special: 'deputy_gm' };

export function approversFrom(setting: unknown): Approvers {
	const s = parseJson<unknown>(setting, null);
	if (!s || typeof s !== 'object' || Array.isArray(s)) return DEFAULT_APPROVERS;
	return { ...DEFAULT_APPROVERS, ...(s as Approvers) };
}

// ---- CR-7: what makes a contract major ----------------------------------------------------------

/** cp_settings.major_rules: a contract meeting any one rule is major. */
export interface MajorRules {
	/** Total amount at or above this is major. */
	amount_at_least?: number | null;
	/** A line whose product was never on a reviewed contract (of any customer) makes it major. */
	new_product?: boolean | null;
	/** An export contract is major. */
	export?: boolean | null;
}

export interface MajorFacts {
	/** Sales's tick (forces major). */
	ticked: boolean;
	amount: number | null;
	/** Products of this contract never reviewed before. */
	newProducts: readonly string[];
	export: boolean;
}

export interface MajorDecision {
	major: boolean;
	reasons: { en: string; zh: string }[];
}

export function majorRulesFrom(setting: unknown): MajorRules {
	const s = parseJson<unknown>(setting, null);
	return s && typeof s === 'object' && !Array.isArray(s) ? (s as MajorRules) : {};
}

/** CR-7: major by Sales's tick or by any company rule, with the reasons for the route record. */
export function decideMajor(rules: MajorRules, facts: MajorFacts): MajorDecision {
	const reasons: { en: string; zh: string }[] = [];
	if (facts.ticked) reasons.push({ en: 'marked major by Sales', zh: '市场部标为重大合同' });
	const threshold = rules.amount_at_least;
	if (typeof threshold === 'number' && facts.amount !== null && facts.amount >= threshold)
		reasons.push({ en: `amount ${facts.amount} ≥ ${threshold}`, zh: `金额 ${facts.amount} ≥ ${threshold}` });
	if (rules.new_product === true && facts.newProducts.length)
		reasons.push({ en: `new product ${facts.newProducts.join(', ')}`, zh: `新产品 ${facts.newProducts.join('、')}` });
	if (rules.export === true && facts.export) reasons.push({ en: 'export contract', zh: '出口合同' });
	return { major: reasons.length > 0, reasons };
}

/** Checks cp_settings.major_rules and cp_settings.approvers (the adapter passes the department keys). */
export function validateApprovalSettings(change: Readonly<Record<string, unknown>>, departmentKeys: readonly string[]): void {
	const bad = (field: string, rule: string): never => {
		throw new DomainError(
			'CP_INVALID_VALUE',
			`${field === 'approvers' ? '各类合同审批人 Approver per contract class' : '重大合同判定规则 What makes a contract major'} (${field}) ${rule}`,
			{
				field,
			},
		);
	};
	if (Object.hasOwn(change, 'approvers') && change.approvers !== null) {
		const a = parseJson<unknown>(change.approvers, undefined);
		if (!a || typeof a !== 'object' || Array.isArray(a)) bad('approvers', 'must be an object of contract class -> department key');
		for (const [key, dept] of Object.entries(a as Record<string, unknown>)) {
			if (!(APPROVER_KEYS as readonly string[]).includes(key)) bad('approvers', `key ${JSON.stringify(key)} must be one of ${APPROVER_KEYS.join(', ')}`);
			if (dept !== null && (typeof dept !== 'string' || !departmentKeys.includes(dept)))
				bad('approvers', `${key} must name a department (${departmentKeys.join(', ')}) or be empty, not ${JSON.stringify(dept)}`);
		}
	}
	if (Object.hasOwn(change, 'major_rules') && change.major_rules !== null) {
		const r = parseJson<unknown>(change.major_rules, undefined);
		if (!r || typeof r !== 'object' || Array.isArray(r)) bad('major_rules', 'must be an object {amount_at_least, new_product, export}');
		for (const [key, v] of Object.entries(r as Record<string, unknown>)) {
			if (key === 'amount_at_least') {
				if (v !== null && !(typeof v === 'number' && Number.isFinite(v) && v > 0))
					bad('major_rules', `amount_at_least must be a positive number, not ${JSON.stringify(v)}`);
			} else if (key === 'new_product' || key === 'export') {
				if (v !== null && typeof v !== 'boolean') bad('major_rules', `${key} must be true or false`);
			} else bad('major_rules', `unknown rule ${JSON.stringify(key)} (amount_at_least, new_product, export)`);
		}
	}
}

/** Checks cp_settings.signers: known keys, each a list of existing role or user ids. */
export function validateSigners(value: unknown, knownIds: ReadonlySet<string>): void {
	if (value === null || value === undefined) return;
	const bad = (rule: string): never => {
		throw new DomainError('CP_INVALID_VALUE', `签字人 Named signers (signers) ${rule}`, { field: 'signers' });
	};
	const m = parseJson<unknown>(value, undefined);
	if (!m || typeof m !== 'object' || Array.isArray(m)) bad('must be an object of signer -> list of role or user ids');
	for (const [key, ids] of Object.entries(m as Record<string, unknown>)) {
		if (!(SIGNER_KEYS as readonly string[]).includes(key)) bad(`key ${JSON.stringify(key)} must be one of ${SIGNER_KEYS.join(', ')}`);
		if (!Array.isArray(ids) || !ids.length) bad(`${key} must be a non-empty list of Directus role or user ids`);
		for (const id of ids as unknown[])
			if (typeof id !== 'string' || !knownIds.has(id)) bad(`${key}: ${JSON.stringify(id)} is neither a Directus role nor a user`);
	}
}

/** The ids a signers value names (the adapter checks they exist). */
export function signerIds(value: unknown): string[] {
	const m = parseJson<unknown>(value, null);
	if (!m || typeof m !== 'object') return [];
	return Object.values(m as Record<string, unknown>).flatMap((ids) => (Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : []));
}

// ---- CR-6: the review conclusion ------------------------------------------------------------------

/**
 * Routes whose record is the signatures themselves, without a conclusion: the in-stock lane (the
 * outbound slip signed by Sales and the warehouse keeper completes the review, Doc 3 4.2.2.5) and the
 * repeat-order confirmation (the planner's confirmation and work order, Doc 2 4.3.2).
 */
const NO_CONCLUSION: readonly string[] = ['regular_in_stock', 'confirmation'];

export function conclusionRequired(route: string | null | undefined): boolean {
	const base = String(route ?? '').split('+')[0]!;
	return !NO_CONCLUSION.includes(base);
}

export interface ConclusionFacts {
	contract: {
		id: string;
		status: string;
		review_round: number | string | null;
		review_route?: string | null;
		conclusion_signed_at?: unknown;
		review_submitted_at?: unknown;
	};
	lines: readonly ReviewLineFact[];
	discrepancies: readonly { status: DiscrepancyStatus }[];
	conclusion: unknown;
	actor: SignerActor;
	now: Date;
}

/**
 * CR-6: the sales department manager signs the review conclusion once every line of the round is
 * approved and no discrepancy is open; the signature completes the review (in_review -> reviewed).
 */
export function planConclusion({ contract, lines, discrepancies, conclusion, actor, now }: ConclusionFacts): {
	update: Record<string, unknown>;
	audit: AuditEntry[];
} {
	assertSigner(actor, 'sales_manager', { en: 'The review conclusion', zh: '评审结论' }, 'conclusion');
	if (contract.status !== 'in_review' || !conclusionRequired(contract.review_route)) {
		throw new DomainError(
			'CP_ILLEGAL_TRANSITION',
			contract.status !== 'in_review'
				? `评审结论只在评审中签署 / the conclusion is signed while the contract is in review (CR-6)`
				: `此路线由签字完成评审，无需评审结论 / this route completes with its signatures; it has no conclusion (CR-6)`,
			{ field: 'conclusion' },
		);
	}
	if (isBlank(conclusion))
		throw new DomainError('CP_OPINION_REQUIRED', `评审结论不能为空 / the review conclusion needs its text (CR-6)`, { field: 'conclusion' });
	const progress = reviewProgress(
		lines.map((l) => ({ ...l, round: Number(l.round) })),
		discrepancies,
		Number(contract.review_round),
	);
	if (!progress.complete) {
		const pending = [...progress.pendingDepartments, ...progress.rejectedDepartments];
		throw new DomainError(
			progress.openDiscrepancies && !pending.length ? 'CP_OPEN_DISCREPANCIES' : 'CP_REVIEW_INCOMPLETE',
			`各部门评审签字完成且不一致问题关闭后才能签署评审结论${pending.length ? `：待 ${pending.map((d) => departmentName(d, 'zh')).join('、')}` : ''}${progress.openDiscrepancies ? `；${progress.openDiscrepancies} 项不一致问题未关闭` : ''} / the conclusion is signed after every line is signed and no discrepancy is open${pending.length ? `: pending ${pending.map((d) => departmentName(d)).join(', ')}` : ''}${progress.openDiscrepancies ? `; ${progress.openDiscrepancies} discrepancies open` : ''} (CR-6)`,
			{ field: 'conclusion', details: { pendingDepartments: pending, openDiscrepancies: progress.openDiscrepancies } },
		);
	}
	return {
		update: {
			conclusion: String(conclusion).trim(),
			conclusion_signed_by: actor.userId,
			conclusion_signed_at: now,
			status: 'reviewed',
			reviewed_at: now,
		},
		audit: [
			// The signature (the sales manager's step on the form), then the completion it brings (CR-6, X-4 cycle time).
			{
				collection: 'cp_contracts',
				item: contract.id,
				action: 'conclusion_signed',
				data: { round: contract.review_round, as: holds(actor, 'sales_manager') ? 'sales_manager' : 'admin' },
			},
			{
				collection: 'cp_contracts',
				item: contract.id,
				action: 'review_completed',
				from_status: 'in_review',
				to_status: 'reviewed',
				data: { round: contract.review_round, route: contract.review_route ?? null, ...roundCycle(contract.review_submitted_at, now) },
			},
		],
	};
}
