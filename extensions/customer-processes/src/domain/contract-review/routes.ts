/**
 * Review routing (CR-7 class routes, CR-8 repeat orders, CR-9 tenders).
 * Routes are configuration: a company passes its own table; only the route
 * keys below are fixed because the decision logic refers to them.
 */
import { DomainError } from '../errors';
import { uniqueInOrder } from '../departments';
import { CATALOGUE, values } from '../catalogue';
import { DEFAULT_APPROVERS, type Approvers } from './approvals';

export const CONTRACT_CLASSES = values(CATALOGUE.cp_contracts.class);
export type ContractClass = (typeof CONTRACT_CLASSES)[number];
export const TENDER_STAGES = values(CATALOGUE.cp_contracts.stage);
export type TenderStage = (typeof TENDER_STAGES)[number];

export type RouteKey = ContractClass | 'major' | 'confirmation' | 'tender_decision';
export type RouteTable = Readonly<Record<RouteKey, readonly string[]>>;

export const DEFAULT_ROUTES: RouteTable = {
	// Doc 3 4.2.2.5: sales fills the outbound slip, the warehouse keeper confirms.
	regular_in_stock: ['sales', 'warehouse'],
	// Doc 3 4.2.2.6: production/workshops and supply review, sales consolidates and signs.
	regular: ['production', 'purchasing', 'sales'],
	// Doc 3 4.2.2.7: plus chief engineer (design) and quality (testing); the approver (deputy GM by
	// default) is the class's approver setting (cp_settings.approvers, approvals.ts), added after these.
	special: ['production', 'purchasing', 'sales', 'technical', 'quality'],
	// Added on top of the class route for a major contract when no approver for 'major' is set (Doc 1 3.6, Doc 2 4.3.1).
	major: ['gm'],
	// Doc 2 4.3.2: repeat order of a reviewed product is only confirmed (feasibility + work order).
	confirmation: ['sales', 'production'],
	// Doc 1 4.2.3.2: sales decides whether to bid; the bid document then takes the class route.
	tender_decision: ['sales'],
};

export interface ContractLine {
	product: string;
	specification?: string | undefined;
	material?: string | undefined;
	marks?: string | undefined;
	process?: string | undefined;
	quantity: number;
	unit_price?: number | undefined;
	delivery_date?: string | undefined;
}

export interface RouteInput {
	kind: 'bid' | 'order' | 'contract';
	class: ContractClass;
	major: boolean;
	/** Why the contract is major (Sales's tick, a company rule), for the route record (CR-7). */
	majorReasons?: readonly { en: string; zh: string }[] | undefined;
	customerIsNew: boolean;
	stage?: TenderStage | undefined;
	lines: readonly ContractLine[];
	previousReviewedLines: readonly ContractLine[];
}

export interface RouteDecision {
	/** Route key, with '+major' when the GM approval was added, e.g. 'special+major'. */
	route: string;
	departments: string[];
	reason: string;
	reason_zh: string;
	/** Only for bids: the stage this route belongs to. */
	stage?: TenderStage | undefined;
}

/** CR-8: what must stay equal for an order to count as a repeat of a reviewed product. */
export const REPEAT_IDENTITY_FIELDS = ['product', 'specification', 'material', 'marks', 'process'] as const;
type IdentityField = (typeof REPEAT_IDENTITY_FIELDS)[number];

const FIELD_ZH: Record<IdentityField, string> = {
	product: '产品',
	specification: '规格',
	material: '材质',
	marks: '唛头图文',
	process: '加工工艺',
};

const CLASS_TEXT: Record<ContractClass, { en: string; zh: string }> = {
	regular_in_stock: { en: 'Regular contract, product in stock', zh: '常规合同（有现货）' },
	regular: { en: 'Regular contract, not in stock', zh: '常规合同（无现货）' },
	special: { en: 'Special contract (new or modified product)', zh: '特殊合同（新产品或改进产品）' },
};

/** Whitespace is not a change; letter case is (spec codes are case-significant). */
function norm(value: string | undefined): string {
	return (value ?? '').trim().replace(/\s+/g, ' ');
}

function differingFields(a: ContractLine, b: ContractLine): IdentityField[] {
	return REPEAT_IDENTITY_FIELDS.filter((f) => norm(a[f]) !== norm(b[f]));
}

export interface RepeatCheck {
	repeat: boolean;
	/** Products matched (repeat) or, when not a repeat, why the first differing line differs. */
	matchedProducts: string[];
	reason: string;
	reason_zh: string;
}

/**
 * CR-8: a repeat order iff the customer is not new and every line matches an
 * earlier reviewed line on all identity fields (quantity, date, price may differ).
 */
export function checkRepeatOrder(customerIsNew: boolean, lines: readonly ContractLine[], previous: readonly ContractLine[]): RepeatCheck {
	const no = (reason: string, reason_zh: string): RepeatCheck => ({ repeat: false, matchedProducts: [], reason, reason_zh });
	if (customerIsNew) return no('New customer: full review required (CR-8)', '新客户：必须进行完整评审（CR-8）');
	if (lines.length === 0) return no('Order has no lines: full review required (CR-8)', '订单无明细：必须进行完整评审（CR-8）');
	if (previous.length === 0) {
		return no('No earlier reviewed order for this customer: full review required (CR-8)', '该客户无已评审订单：必须进行完整评审（CR-8）');
	}
	for (const [index, line] of lines.entries()) {
		if (previous.some((p) => differingFields(line, p).length === 0)) continue;
		const n = index + 1;
		const sameProduct = previous.filter((p) => norm(p.product) === norm(line.product));
		if (sameProduct.length === 0) {
			return no(
				`Line ${n}: new product '${norm(line.product)}' not reviewed before: full review required (CR-8)`,
				`第${n}行：新产品“${norm(line.product)}”未经评审：必须进行完整评审（CR-8）`,
			);
		}
		// Report against the closest reviewed line so the user sees the smallest real difference.
		const closest = sameProduct.map((p) => ({ p, diff: differingFields(line, p) })).sort((x, y) => x.diff.length - y.diff.length)[0]!;
		const en = closest.diff.map((f) => `${f} '${norm(closest.p[f])}' -> '${norm(line[f])}'`).join(', ');
		const zh = closest.diff.map((f) => `${FIELD_ZH[f]}“${norm(closest.p[f])}”→“${norm(line[f])}”`).join('，');
		return no(
			`Line ${n} '${norm(line.product)}' differs from the reviewed product: ${en}: full review required (CR-8)`,
			`第${n}行“${norm(line.product)}”与已评审产品不同：${zh}：必须进行完整评审（CR-8）`,
		);
	}
	const products = uniqueInOrder(lines.map((l) => norm(l.product)));
	return {
		repeat: true,
		matchedProducts: products,
		reason: `Repeat order of reviewed product(s) ${products.join(', ')}: only quantity, delivery date or price changed; confirmation only, issue a new production work order (CR-8)`,
		reason_zh: `老产品订单（${products.join('、')}）：仅数量、交货期或价格变化；只需确认，补发生产施工流转单（CR-8）`,
	};
}

function routeDepartments(routes: RouteTable, key: RouteKey): readonly string[] {
	const departments = routes[key];
	if (!Array.isArray(departments) || departments.length === 0) {
		throw new DomainError('CP_INVALID_VALUE', `Review route '${key}' is not configured`, { field: 'routes', details: { route: key } });
	}
	return departments;
}

/** CR-9: the stage after the given one, or null when the tender review is over. */
export function nextTenderStage(stage: TenderStage): TenderStage | null {
	return stage === 'tender_decision' ? 'bid_document' : null;
}

/** Chooses the review route and the departments that must sign, with a bilingual reason for the record. */
export function decideRoute(input: RouteInput, routes: RouteTable = DEFAULT_ROUTES, approvers: Approvers = DEFAULT_APPROVERS): RouteDecision {
	if (!CONTRACT_CLASSES.includes(input.class)) {
		throw new DomainError('CP_INVALID_VALUE', `Unknown contract class '${String(input.class)}'`, { field: 'class' });
	}
	if (input.stage !== undefined && input.kind !== 'bid') {
		throw new DomainError('CP_INVALID_VALUE', `A tender stage applies only to bids, not to '${input.kind}'`, { field: 'stage' });
	}
	if (input.stage !== undefined && !TENDER_STAGES.includes(input.stage)) {
		throw new DomainError('CP_INVALID_VALUE', `Unknown tender stage '${String(input.stage)}'`, { field: 'stage' });
	}

	if (input.kind === 'bid') {
		const stage = input.stage ?? 'tender_decision';
		if (stage === 'tender_decision') {
			// Deciding whether to bid commits nothing yet, so the major flag does not add the GM here.
			return {
				route: 'tender_decision',
				departments: uniqueInOrder(routeDepartments(routes, 'tender_decision')),
				reason: 'Tender received: decide whether to bid and record the clarifications (CR-9 stage 1)',
				reason_zh: '收到招标书：评审是否投标并记录澄清事项（CR-9 第一阶段）',
				stage,
			};
		}
		return { ...classRoute(input, routes, approvers, 'Bid document review: '), stage };
	}

	const repeat = checkRepeatOrder(input.customerIsNew, input.lines, input.previousReviewedLines);
	if (repeat.repeat) {
		return withMajor(input, routes, approvers, {
			route: 'confirmation',
			departments: uniqueInOrder(routeDepartments(routes, 'confirmation')),
			reason: repeat.reason,
			reason_zh: repeat.reason_zh,
		});
	}
	const full = classRoute(input, routes, approvers, '');
	return { ...full, reason: `${repeat.reason}. ${full.reason}`, reason_zh: `${repeat.reason_zh}。${full.reason_zh}` };
}

function classRoute(input: RouteInput, routes: RouteTable, approvers: Approvers, prefix: string): RouteDecision {
	const text = CLASS_TEXT[input.class];
	// CR-7: the class's approver (a setting: the documents disagree on GM vs deputy GM) signs last.
	const approver = approvers[input.class];
	const departments = uniqueInOrder([...routeDepartments(routes, input.class), ...(approver ? [approver] : [])]);
	return withMajor(input, routes, approvers, {
		route: input.class,
		departments,
		reason: `${prefix}${text.en}: review by ${departments.join(', ')} (CR-7)`,
		reason_zh: `${prefix ? '标书评审：' : ''}${text.zh}：由 ${departments.join('、')} 评审（CR-7）`,
	});
}

/** Major contracts get the major approver (the GM by default) on top of whatever route applies (Doc 2 4.3.1). */
function withMajor(input: RouteInput, routes: RouteTable, approvers: Approvers, decision: RouteDecision): RouteDecision {
	if (!input.major) return decision;
	const extra = approvers.major ? [approvers.major] : routeDepartments(routes, 'major');
	const why = input.majorReasons?.length ? input.majorReasons : [];
	const en = why.length ? ` (${why.map((r) => r.en).join('; ')})` : '';
	const zh = why.length ? `（${why.map((r) => r.zh).join('；')}）` : '';
	return {
		route: `${decision.route}+major`,
		departments: uniqueInOrder([...decision.departments, ...extra]),
		reason: `${decision.reason}; major contract${en}: approval by ${extra.join(', ')} added (CR-7)`,
		reason_zh: `${decision.reason_zh}；重大合同${zh}：增加 ${extra.join('、')} 审批（CR-7）`,
	};
}
